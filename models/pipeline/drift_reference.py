"""The training rows' feature distributions, stored in metadata.json under `drift_reference`.

The serving side compares live traffic against it (see models/README.md, "Drift reference"). Two kinds of feature:

- categorical: `categories` plus one trailing "any other value" share (len(categories) + 1 shares). With
  `"map": "zone_borough_codes"` a zone id is first mapped to its borough code through the metadata's `zones` /
  `zone_borough_codes`; a zone missing there counts as other.
- numeric: `edges`, the deduplicated training deciles, and len(edges) + 1 shares; a value v falls in bin
  i = number of edges e < v (v <= edges[0] is bin 0, v > edges[-1] the last bin).

Shares are rounded to 6 digits; edges too, and the shares are computed with the rounded edges, so a reader that
bins the training rows with the stored edges gets the stored shares.
"""

import numpy as np
import pandas as pd

DIGITS = 6
DECILES = tuple(q / 10 for q in range(1, 10))
ZONE_MAP = "zone_borough_codes"
HOURS = tuple(range(24))
DAYS = tuple(range(7))


def _shares(counts: np.ndarray) -> list[float]:
    total = counts.sum()
    if total == 0:
        raise ValueError("drift reference: no training rows to take shares of")
    return [round(float(c) / float(total), DIGITS) for c in counts]


def categorical(name: str, values: np.ndarray, categories: list[int], mapping: str | None = None) -> dict:
    """Counts each category and, last, every value outside them."""
    values = np.asarray(values)
    counts = np.array([np.count_nonzero(values == c) for c in categories] + [0])
    counts[-1] = len(values) - counts[:-1].sum()
    feature = {"name": name}
    if mapping:
        feature["map"] = mapping
    return {**feature, "categories": [int(c) for c in categories], "shares": _shares(counts)}


def decile_edges(values: np.ndarray) -> list[float]:
    edges = np.round(np.quantile(np.asarray(values, dtype=np.float64), DECILES), DIGITS)
    return [float(e) for e in np.unique(edges)]


def numeric(name: str, values: np.ndarray) -> dict:
    edges = decile_edges(values)
    # side="left": the index of the first edge >= v, i.e. the number of edges strictly below v.
    bins = np.searchsorted(np.asarray(edges), np.asarray(values, dtype=np.float64), side="left")
    return {"name": name, "edges": edges, "shares": _shares(np.bincount(bins, minlength=len(edges) + 1))}


def borough_codes(zone_ids: np.ndarray, zones: list[int], codes: list[int]) -> np.ndarray:
    """Zone id -> borough code as the metadata stores it; -1 (never a category) for a zone not in `zones`."""
    lookup = dict(zip(zones, codes, strict=True))
    return np.array([lookup.get(int(z), -1) for z in zone_ids], dtype=np.int64)


def drift_reference(frame: pd.DataFrame, data_file: str, zones: list[int], codes: list[int]) -> dict:
    """`frame` holds the cleaned training rows with the model's raw features (pipeline.data.load_trips)."""
    borough_categories = sorted(set(int(c) for c in codes))
    features = [
        categorical(side, borough_codes(frame[side].to_numpy(), zones, codes), borough_categories, ZONE_MAP)
        for side in ("PULocationID", "DOLocationID")
    ]
    features.append(numeric("trip_distance", frame["trip_distance"].to_numpy()))
    features.append(categorical("pickup_hour", frame["pickup_hour"].to_numpy(), list(HOURS)))
    features.append(categorical("pickup_dow", frame["pickup_dow"].to_numpy(), list(DAYS)))
    return {"data": f"{data_file}, cleaned training rows", "rows": int(len(frame)), "features": features}
