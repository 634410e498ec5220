"""Seeded synthetic rides for the parity fixture and the benchmark. Invented values, never rows of the TLC files."""

import numpy as np
import pandas as pd

FIXTURE_SEED = 20210101
ZONE_IDS = (1, 265)
MAX_DISTANCE = 40.0
YEAR_START = pd.Timestamp("2021-01-01T00:00:00")
SECONDS_IN_YEAR = 365 * 24 * 3600
# 02:00-02:59 on 2021-03-14 does not exist in New York (clocks jump to 03:00), so no local time is drawn from it.
SPRING_GAP = (pd.Timestamp("2021-03-14T02:00:00"), pd.Timestamp("2021-03-14T03:00:00"))


def ride_row(when: str, pu: int, do: int, distance: float, case: str) -> dict:
    stamp = pd.Timestamp(when)
    return {
        "case": case,
        "pickup_datetime": stamp.strftime("%Y-%m-%dT%H:%M:%S"),
        "PULocationID": int(pu),
        "DOLocationID": int(do),
        "trip_distance": float(distance),
        "pickup_hour": int(stamp.hour),
        "pickup_dow": int(stamp.dayofweek),
    }


def _distances(rng: np.random.Generator, n: int) -> np.ndarray:
    # Mostly 2-decimal values like the TLC's meters report, skewed short; a tenth are arbitrary doubles.
    skewed = np.round(np.minimum(rng.exponential(4.0, n), MAX_DISTANCE), 2)
    uniform = np.round(rng.uniform(0.0, MAX_DISTANCE, n), 2)
    arbitrary = rng.uniform(0.0, MAX_DISTANCE, n)
    kind = rng.random(n)
    return np.where(kind < 0.6, skewed, np.where(kind < 0.9, uniform, arbitrary))


def _times(rng: np.random.Generator, n: int) -> pd.Series:
    stamps = YEAR_START + pd.to_timedelta(rng.integers(0, SECONDS_IN_YEAR, n), unit="s")
    in_gap = (stamps >= SPRING_GAP[0]) & (stamps < SPRING_GAP[1])
    return pd.Series(stamps.where(~in_gap, stamps + pd.Timedelta(hours=1)))


def random_rides(n: int, seed: int = FIXTURE_SEED) -> list[dict]:
    rng = np.random.default_rng(seed)
    pu = rng.integers(ZONE_IDS[0], ZONE_IDS[1] + 1, n)
    do = rng.integers(ZONE_IDS[0], ZONE_IDS[1] + 1, n)
    distance = _distances(rng, n)
    times = _times(rng, n)
    return [ride_row(t, p, d, x, "random") for t, p, d, x in zip(times, pu, do, distance, strict=True)]


def edge_rides(unseen_pair: tuple[int, int]) -> list[dict]:
    """Hand-picked boundaries the serving side must agree on (times are naive New York local)."""
    rows = [
        ("2021-02-10T12:00:00", *unseen_pair, 3.2, "unseen_zone_pair"),
        ("2021-02-10T12:00:00", 74, 75, 0.0, "zero_distance"),
        ("2021-02-10T12:00:00", 74, 74, 0.01, "tiny_distance"),
        ("2021-02-01T00:00:00", 42, 41, 1.5, "midnight_monday"),
        ("2021-02-03T23:59:00", 42, 41, 1.5, "2359_wednesday"),
        ("2021-02-07T23:59:59", 166, 74, 2.75, "sunday_last_second"),
        ("2021-02-08T00:00:00", 166, 74, 2.75, "monday_first_second"),
        ("2021-03-14T01:59:59", 7, 129, 4.1, "dst_spring_before_gap"),
        ("2021-03-14T03:00:00", 7, 129, 4.1, "dst_spring_after_gap"),
        ("2021-11-07T00:59:59", 255, 112, 2.2, "dst_fall_before"),
        ("2021-11-07T01:30:00", 255, 112, 2.2, "dst_fall_ambiguous_hour"),
        ("2021-11-07T02:00:00", 255, 112, 2.2, "dst_fall_after"),
        ("2021-02-10T08:15:00", 1, 1, 0.5, "min_zone_ids"),
        ("2021-02-10T08:15:00", 265, 265, 12.0, "max_zone_ids"),
        ("2021-02-10T08:15:00", 264, 1, 17.25, "unknown_borough_zone"),
        ("2021-02-10T17:45:00", 61, 132, 250.0, "huge_distance"),
        ("2021-02-10T17:45:00", 61, 132, 99999.99, "absurd_distance"),
        ("2021-02-10T17:45:00", 97, 25, 0.1 + 0.2, "odd_float_0.1+0.2"),
        ("2021-02-10T17:45:00", 97, 25, 1.0 / 3.0, "odd_float_third"),
        ("2021-02-10T17:45:00", 97, 25, 12.345678901234, "odd_float_many_digits"),
    ]
    return [ride_row(*row) for row in rows]


def first_unseen_pair(pairs: set[tuple[int, int]]) -> tuple[int, int]:
    """Lexicographically first pair of two zones that each occur in training, while the pair itself never does."""
    pickups = sorted({pu for pu, _ in pairs})
    dropoffs = sorted({do for _, do in pairs})
    for pu in pickups:
        for do in dropoffs:
            if (pu, do) not in pairs:
                return pu, do
    raise ValueError("every zone pair was seen in training")


def rides_frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows)
