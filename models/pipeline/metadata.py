"""metadata.json: what the serving side needs to load, feed and trust the model, and how it was made."""

import platform
from datetime import UTC, datetime
from importlib.metadata import version as package_version
from pathlib import Path

import pandas as pd

from .data import MAX_DURATION_MIN, MIN_DURATION_MIN, TripFile, sha256_file
from .native_model import BoroughCodes
from .parity import PARITY_TOLERANCE_MIN

TIME_ZONE = "America/New_York"
LIBRARIES = ("numpy", "pandas", "pyarrow", "scikit-learn", "lightgbm", "onnx", "onnxruntime", "onnxmltools",
             "skl2onnx")
FEATURES = [
    {"name": "PULocationID", "type": "int64", "description": "TLC taxi zone where the ride starts",
     "valid_range": "an id in `zones` (1..265)"},
    {"name": "DOLocationID", "type": "int64", "description": "TLC taxi zone where the ride is headed",
     "valid_range": "an id in `zones` (1..265)"},
    {"name": "trip_distance", "type": "float32", "description": "trip distance in miles, as the meter reports it",
     "valid_range": "finite and >= 0; training rides are mostly 0..40 (larger values score like the longest trips)"},
    {"name": "pickup_hour", "type": "int64", "description": f"hour of the pickup in {TIME_ZONE} local time",
     "valid_range": "0..23"},
    {"name": "pickup_dow", "type": "int64",
     "description": f"day of week of the pickup in {TIME_ZONE} local time, 0=Monday .. 6=Sunday",
     "valid_range": "0..6"},
]


def model_card(name: str, version: str) -> str:
    return (f"{name} {version}: predicted NYC green-taxi ride duration in minutes from zones, distance, "
            f"and {TIME_ZONE} pickup hour/day. See models/README.md.")


def _file_entry(trips: TripFile | list[TripFile]) -> dict:
    if isinstance(trips, list) and len(trips) == 1:
        trips = trips[0]
    if isinstance(trips, TripFile):
        return {"file": trips.path.name, "sha256": trips.sha256, "rows_raw": trips.rows_raw,
                "rows_clean": trips.rows_clean}
    # Several months trained on together: their names joined, their rows summed, each file's own entry.
    return {"file": " + ".join(t.path.name for t in trips), "rows_raw": sum(t.rows_raw for t in trips),
            "rows_clean": sum(t.rows_clean for t in trips), "files": [_file_entry(t) for t in trips]}


def _libraries() -> dict[str, str]:
    return {"python": platform.python_version(), **{lib: package_version(lib) for lib in LIBRARIES}}


def _metrics(scores: dict, baseline: dict) -> dict:
    return {
        **{f"{part}_{figure}": round(scores[part][figure], 4)
           for figure in ("rmse", "mae") for part in ("train", "validation")},
        **{f"{part}_bias": round(scores[part]["bias"], 4) for part in ("train", "validation")},
        "baseline_train_rmse": round(baseline["train_rmse"], 4),
        "baseline_validation_rmse": round(baseline["validation_rmse"], 4),
        "baseline_algorithm": "DictVectorizer(PU_DO, trip_distance) + LinearRegression",
    }


def build_metadata(*, name, version, algorithm: str, derived_in_graph: list[dict], files, zones: pd.DataFrame,
                   boroughs: BoroughCodes, training, scores, baseline, drift_reference, parity, io, model_sha256,
                   model_bytes) -> dict:
    zones_path: Path = files["zones"]
    return {
        "name": name,
        "version": version,
        "created_at": datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "algorithm": algorithm,
        "target": {"name": "duration", "unit": "minutes",
                   "definition": "lpep_dropoff_datetime - lpep_pickup_datetime",
                   "cleaning": f"keep {MIN_DURATION_MIN:g} <= duration <= {MAX_DURATION_MIN:g}",
                   "prediction_clipped_to": [MIN_DURATION_MIN, MAX_DURATION_MIN]},
        "training": _file_entry(files["training"]),
        "validation": _file_entry(files["validation"]),
        "zone_lookup": {"file": zones_path.name, "sha256": sha256_file(zones_path), "rows": len(zones)},
        "features": FEATURES,
        "derived_in_graph": derived_in_graph,
        "boroughs": list(boroughs.names),
        "inputs": io["inputs"],
        "outputs": io["outputs"],
        "zones": [int(z) for z in zones["LocationID"]],
        # Aligned with `zones`: the borough index the graph looks up for each id (also what bench_model.py loads).
        "zone_borough_codes": [boroughs.by_location[int(z)] for z in zones["LocationID"]],
        "time_zone": TIME_ZONE,
        "metrics": _metrics(scores, baseline),
        # The training rows' feature distributions, for drift checks on live traffic (pipeline/drift_reference.py).
        "drift_reference": drift_reference,
        "parity": {"tolerance_minutes": PARITY_TOLERANCE_MIN, **parity},
        "training_details": training,
        "library_versions": _libraries(),
        "model_file": "model.onnx",
        "model_bytes": model_bytes,
        "model_sha256": model_sha256,
    }


def with_drift_reference(metadata: dict, reference: dict) -> dict:
    """The same metadata with `drift_reference` set, placed after `metrics` where build_metadata puts it."""
    if "drift_reference" in metadata:
        return {**metadata, "drift_reference": reference}
    out = {}
    for key, value in metadata.items():
        out[key] = value
        if key == "metrics":
            out["drift_reference"] = reference
    if "drift_reference" not in out:
        out["drift_reference"] = reference
    return out
