"""Measures native Python scoring speed of a ride-duration model version on seeded synthetic rides.

    models/.venv/bin/python models/bench_model.py [models/ride-duration/1.0.0] [--rows 10000] [--onnx]

Prints JSON: for each batch size, rows per second and per-call latency (p50, p99) of the LightGBM booster behind
the model ("python"), and with --onnx of onnxruntime-python on model.onnx ("onnxruntime_python"). Both run on one
thread so the figures compare with a single Node.js consumer.
"""

import argparse
import json
import platform
import sys
import time
from pathlib import Path

import numpy as np

MODELS_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(MODELS_DIR))

from pipeline.data import RAW_FEATURES  # noqa: E402
from pipeline.native_model import BoroughCodes, NativeModel  # noqa: E402
from pipeline.onnx_export import OUTPUT, onnx_feeds  # noqa: E402
from pipeline.parity import onnx_session  # noqa: E402
from pipeline.synthetic import FIXTURE_SEED, random_rides, rides_frame  # noqa: E402

BATCH_SIZES = (1, 64, 1024)
WARMUP_CALLS = 20
MIN_CALLS = 50


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    current = (MODELS_DIR / "ride-duration" / "CURRENT").read_text().strip()
    parser.add_argument("model_dir", nargs="?", type=Path, default=MODELS_DIR / "ride-duration" / current)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=FIXTURE_SEED)
    parser.add_argument("--onnx", action="store_true", help="also measure onnxruntime-python on model.onnx")
    return parser.parse_args()


def measure(score, columns: list[np.ndarray], batch: int) -> dict[str, float]:
    """Scores every row once in calls of `batch` rows (wrapping round to reach MIN_CALLS for large batches)."""
    rows = len(columns[0])
    calls = max(MIN_CALLS, -(-rows // batch))
    starts = [(i * batch) % rows for i in range(calls)]
    chunks = [[c[s:s + batch] for c in columns] for s in starts]
    for chunk in chunks[:WARMUP_CALLS]:
        score(*chunk)
    latencies = np.empty(len(chunks))
    scored = 0
    for i, chunk in enumerate(chunks):
        began = time.perf_counter()
        score(*chunk)
        latencies[i] = time.perf_counter() - began
        scored += len(chunk[0])
    return {
        "rows_per_s": round(scored / latencies.sum(), 1),
        "p50_ms": round(float(np.percentile(latencies, 50)) * 1e3, 4),
        "p99_ms": round(float(np.percentile(latencies, 99)) * 1e3, 4),
        "calls": len(chunks),
    }


def onnx_scorer(model_path: Path):
    session = onnx_session(model_path)
    return lambda *columns: session.run([OUTPUT], onnx_feeds(*columns))


def main() -> None:
    args = parse_args()
    metadata = json.loads((args.model_dir / "metadata.json").read_text())
    model = NativeModel.load(args.model_dir / "lightgbm.txt.gz", BoroughCodes.from_metadata(metadata))
    frame = rides_frame(random_rides(args.rows, args.seed))
    columns = [frame[name].to_numpy() for name in RAW_FEATURES]
    report = {"python": {str(b): measure(model.predict, columns, b) for b in BATCH_SIZES}}
    if args.onnx:
        scorer = onnx_scorer(args.model_dir / "model.onnx")
        report["onnxruntime_python"] = {str(b): measure(scorer, columns, b) for b in BATCH_SIZES}
    report["setup"] = {
        "model": f"{metadata['name']}@{metadata['version']}",
        "rows": args.rows,
        "seed": args.seed,
        "threads": 1,
        "python": platform.python_version(),
        "machine": platform.machine(),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
