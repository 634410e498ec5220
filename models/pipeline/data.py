"""Reads the TLC green trip files and applies the course's cleaning and our ride-start features."""

import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

MIN_DURATION_MIN = 1.0
MAX_DURATION_MIN = 60.0
TARGET = "duration"
# Everything the serving side knows when a ride starts; the ONNX graph takes exactly these inputs.
RAW_FEATURES = ("PULocationID", "DOLocationID", "trip_distance", "pickup_hour", "pickup_dow")


@dataclass(frozen=True)
class TripFile:
    path: Path
    sha256: str
    rows_raw: int
    rows_clean: int
    frame: pd.DataFrame


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pickup_column(frame: pd.DataFrame) -> str:
    # Green files name it lpep_*, yellow ones tpep_*; accept both so another month or colour is a data change only.
    for prefix in ("lpep", "tpep"):
        if f"{prefix}_pickup_datetime" in frame.columns:
            return prefix
    raise ValueError("no lpep_/tpep_ pickup_datetime column")


def add_time_features(frame: pd.DataFrame, pickup: pd.Series) -> None:
    # TLC timestamps are naive New York local time, which is what the serving side must feed too.
    frame["pickup_hour"] = pickup.dt.hour.astype(np.int64)
    frame["pickup_dow"] = pickup.dt.dayofweek.astype(np.int64)


def load_trips(path: Path) -> TripFile:
    """Reads one month, keeps rides of 1..60 minutes (the course's rule) and adds the ride-start features."""
    raw = pd.read_parquet(path)
    prefix = _pickup_column(raw)
    pickup = pd.to_datetime(raw[f"{prefix}_pickup_datetime"])
    dropoff = pd.to_datetime(raw[f"{prefix}_dropoff_datetime"])
    raw[TARGET] = (dropoff - pickup).dt.total_seconds() / 60.0
    keep = raw[TARGET].between(MIN_DURATION_MIN, MAX_DURATION_MIN)
    frame = raw.loc[keep].reset_index(drop=True)
    add_time_features(frame, pd.to_datetime(frame[f"{prefix}_pickup_datetime"]))
    # Later TLC years store the ids as int32 and the distance as float32: normalise to the contract's widths.
    frame["PULocationID"] = frame["PULocationID"].astype(np.int64)
    frame["DOLocationID"] = frame["DOLocationID"].astype(np.int64)
    frame["trip_distance"] = frame["trip_distance"].astype(np.float64)
    return TripFile(path, sha256_file(path), len(raw), len(frame), frame)


def load_zones(path: Path) -> pd.DataFrame:
    # keep_default_na=False: the lookup has literal "N/A" and "Unknown" boroughs that are categories, not gaps.
    zones = pd.read_csv(path, keep_default_na=False)
    zones["LocationID"] = zones["LocationID"].astype(np.int64)
    return zones.sort_values("LocationID").reset_index(drop=True)
