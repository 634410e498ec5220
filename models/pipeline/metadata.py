"""metadata.json: what the serving side needs to load, feed and trust the model, and how it was made."""

import platform
from datetime import UTC, datetime
from importlib.metadata import version as package_version
from pathlib import Path

import pandas as pd

from .data import MAX_DURATION_MIN, MIN_DURATION_MIN, TripFile, sha256_file
from .native_model import UNKNOWN_BOROUGH, NativeModel
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


def _file_entry(trips: TripFile) -> dict:
    return {"file": trips.path.name, "sha256": trips.sha256, "rows_raw": trips.rows_raw,
            "rows_clean": trips.rows_clean}


def _libraries() -> dict[str, str]:
    return {"python": platform.python_version(), **{lib: package_version(lib) for lib in LIBRARIES}}


def build_metadata(*, name, version, files, zones: pd.DataFrame, model: NativeModel, training, scores, baseline,
                   parity, io, model_sha256, model_bytes) -> dict:
    zones_path: Path = files["zones"]
    return {
        "name": name,
        "version": version,
        "created_at": datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        "algorithm": "LightGBM gradient-boosted trees (L2) on zone ids, zone boroughs, distance, pickup hour and "
                     "day of week; borough lookup and casts are inside the ONNX graph",
        "target": {"name": "duration", "unit": "minutes",
                   "definition": "lpep_dropoff_datetime - lpep_pickup_datetime",
                   "cleaning": f"keep {MIN_DURATION_MIN:g} <= duration <= {MAX_DURATION_MIN:g}",
                   "prediction_clipped_to": [MIN_DURATION_MIN, MAX_DURATION_MIN]},
        "training": _file_entry(files["training"]),
        "validation": _file_entry(files["validation"]),
        "zone_lookup": {"file": zones_path.name, "sha256": sha256_file(zones_path), "rows": len(zones)},
        "features": FEATURES,
        "derived_in_graph": [
            {"name": f"{side}_borough",
             "description": f"{side}LocationID -> index of its borough in `boroughs`, {UNKNOWN_BOROUGH} if unknown"}
            for side in ("PU", "DO")
        ],
        "boroughs": list(model.boroughs.names),
        "inputs": io["inputs"],
        "outputs": io["outputs"],
        "zones": [int(z) for z in zones["LocationID"]],
        # Aligned with `zones`: the borough index the graph looks up for each id (also what bench_model.py loads).
        "zone_borough_codes": [model.boroughs.by_location[int(z)] for z in zones["LocationID"]],
        "time_zone": TIME_ZONE,
        "metrics": {
            "train_rmse": round(scores["train"]["rmse"], 4),
            "validation_rmse": round(scores["validation"]["rmse"], 4),
            "train_mae": round(scores["train"]["mae"], 4),
            "validation_mae": round(scores["validation"]["mae"], 4),
            "baseline_train_rmse": round(baseline["train_rmse"], 4),
            "baseline_validation_rmse": round(baseline["validation_rmse"], 4),
            "baseline_algorithm": "DictVectorizer(PU_DO, trip_distance) + LinearRegression",
        },
        "parity": {"tolerance_minutes": PARITY_TOLERANCE_MIN, **parity},
        "training_details": training,
        "library_versions": _libraries(),
        "model_file": "model.onnx",
        "model_bytes": model_bytes,
        "model_sha256": model_sha256,
    }
