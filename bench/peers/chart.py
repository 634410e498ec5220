"""Draws end-to-end latency percentiles against offered load from a bench results JSON.

    bench/peers/.venv/bin/python bench/peers/chart.py bench/results/<timestamp>.json out.png
"""

import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

PERCENTILES = (("p50", "p50"), ("p90", "p90"), ("p99", "p99"), ("p999", "p99.9"), ("max", "max"))


def main() -> None:
    results = json.loads(open(sys.argv[1]).read())
    points = sorted(results["latency"], key=lambda p: p["offered_per_s"])
    rates = [p["offered_per_s"] for p in points]
    fig, ax = plt.subplots(figsize=(8, 4.8), dpi=120)
    for key, label in PERCENTILES:
        ax.plot(rates, [p["latency_ms"][key] for p in points], marker="o", label=label)
    if all("kafka_only_ms" in p for p in points):
        ax.plot(rates, [p["kafka_only_ms"]["p99"] for p in points], linestyle=":", color="black",
                label="p99, Kafka only (rides read directly)")
    failed = [p for p in points if not p["sustained"]]
    if failed:
        ax.scatter([p["offered_per_s"] for p in failed], [p["latency_ms"]["max"] * 1.35 for p in failed],
                   marker="v", color="red", zorder=5, label="not sustained (backlog grew)")
    ax.axhline(25, color="grey", linestyle="--", linewidth=1)
    ax.text(rates[0], 27, "goal: p99 ≤ 25 ms at 5k ev/s", fontsize=8, color="grey")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("offered load (events/s)")
    ax.set_ylabel("event created → prediction readable (ms)")
    machine = results["machine"]
    ax.set_title(f"End-to-end latency, one consumer process ({results['mode']} run, "
                 f"{machine['cpus']} cores, load avg {results['load_average_start']})", fontsize=10)
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(sys.argv[2])


if __name__ == "__main__":
    main()
