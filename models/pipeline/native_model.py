"""The native (Python) model: zone-borough encoding in front of a LightGBM booster.

The ONNX export reproduces exactly this: same borough codes, same feature order, same booster.
"""

import gzip
from dataclasses import dataclass
from pathlib import Path

import lightgbm as lgb
import numpy as np
import pandas as pd

from .data import MAX_DURATION_MIN, MIN_DURATION_MIN, RAW_FEATURES

# Borough codes are the position in the sorted borough names of the zone lookup; ids outside it get -1.
UNKNOWN_BOROUGH = -1
MODEL_FEATURES = (*RAW_FEATURES, "PU_borough", "DO_borough")


@dataclass(frozen=True)
class BoroughCodes:
    names: tuple[str, ...]
    by_location: dict[int, int]

    @classmethod
    def from_zones(cls, zones: pd.DataFrame) -> "BoroughCodes":
        names = tuple(sorted(zones["Borough"].unique()))
        code = {name: index for index, name in enumerate(names)}
        by_location = {int(loc): code[b] for loc, b in zip(zones["LocationID"], zones["Borough"], strict=True)}
        return cls(names, by_location)

    @classmethod
    def from_metadata(cls, metadata: dict) -> "BoroughCodes":
        codes = zip(metadata["zones"], metadata["zone_borough_codes"], strict=True)
        return cls(tuple(metadata["boroughs"]), {int(loc): int(code) for loc, code in codes})

    def lookup_table(self) -> np.ndarray:
        """Dense id -> code array so encoding a batch is one fancy-index, not a Python loop."""
        table = np.full(max(self.by_location) + 1, UNKNOWN_BOROUGH, dtype=np.int64)
        for location, code in self.by_location.items():
            table[location] = code
        return table


class NativeModel:
    """Scores raw ride-start features (the ONNX inputs) with the LightGBM booster."""

    def __init__(self, booster: lgb.Booster, boroughs: BoroughCodes):
        self.booster = booster
        self.boroughs = boroughs
        self._table = boroughs.lookup_table()

    def _borough(self, ids: np.ndarray) -> np.ndarray:
        inside = (ids >= 0) & (ids < len(self._table))
        return np.where(inside, self._table[np.where(inside, ids, 0)], UNKNOWN_BOROUGH)

    def matrix(self, pu, do, distance, hour, dow) -> np.ndarray:
        pu = np.asarray(pu, dtype=np.int64)
        do = np.asarray(do, dtype=np.int64)
        columns = (pu, do, np.asarray(distance, dtype=np.float64), np.asarray(hour), np.asarray(dow),
                   self._borough(pu), self._borough(do))
        return np.column_stack(columns).astype(np.float64)

    def predict_frame(self, frame: pd.DataFrame) -> np.ndarray:
        return self.predict(*(frame[name].to_numpy() for name in RAW_FEATURES))

    def predict(self, pu, do, distance, hour, dow) -> np.ndarray:
        # Trained only on 1..60 minute rides, so the trees' sum is clipped to that range (it can dip below 0 for
        # very short trips). The ONNX graph ends with the same Clip.
        raw = self.booster.predict(self.matrix(pu, do, distance, hour, dow), num_threads=1)
        return np.clip(raw, MIN_DURATION_MIN, MAX_DURATION_MIN)

    def save(self, path: Path) -> None:
        """Writes the booster as gzipped LightGBM text (mtime 0, so an identical model gives identical bytes)."""
        with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as handle:
            handle.write(self.booster.model_to_string().encode())

    @classmethod
    def load(cls, path: Path, boroughs: BoroughCodes) -> "NativeModel":
        with gzip.open(path, "rt") as handle:
            return cls(lgb.Booster(model_str=handle.read()), boroughs)
