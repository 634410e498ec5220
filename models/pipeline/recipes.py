"""The two model recipes train.py can fit: what each trains, how it becomes a graph and how metadata describes it."""

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import onnx
import pandas as pd

from .baseline import LinearBaseline
from .baseline_onnx import PAIR_KEY_BASE, build_baseline_onnx
from .boosting import train_booster
from .native_model import UNKNOWN_BOROUGH, BoroughCodes
from .onnx_export import build_onnx

LIGHTGBM_ALGORITHM = ("LightGBM gradient-boosted trees (L2) on zone ids, zone boroughs, distance, pickup hour and "
                      "day of week; borough lookup and casts are inside the ONNX graph")
BASELINE_ALGORITHM = ("the course's linear baseline: DictVectorizer(PU_DO, trip_distance) + LinearRegression, "
                      "prediction clipped to 1..60 minutes; in the graph a LabelEncoder from the zone pair to its "
                      "weight (0 for a pair unseen in training) plus the distance term")


@dataclass
class Fitted:
    """A trained model with `predict_frame(frame)` (native, float64, clipped) and its serving graph."""
    model: Any
    graph: onnx.ModelProto
    algorithm: str
    derived_in_graph: list[dict]
    training: dict
    # Extra files written beside model.onnx: name -> writer(path).
    extra_files: dict = field(default_factory=dict)


def fit_lightgbm(train: pd.DataFrame, boroughs: BoroughCodes, doc: str, props: dict) -> Fitted:
    model, training = train_booster(train, boroughs)
    derived = [
        {"name": f"{side}_borough",
         "description": f"{side}LocationID -> index of its borough in `boroughs`, {UNKNOWN_BOROUGH} if unknown"}
        for side in ("PU", "DO")
    ]
    return Fitted(model, build_onnx(model, doc, props), LIGHTGBM_ALGORITHM, derived, training,
                  {"lightgbm.txt.gz": model.save})


def fit_baseline(train: pd.DataFrame, boroughs: BoroughCodes, doc: str, props: dict) -> Fitted:
    model = LinearBaseline.fit(train)
    intercept, pairs, distance_weight = model.terms()
    derived = [{"name": "PU_DO",
                "description": f"PULocationID * {PAIR_KEY_BASE} + DOLocationID -> the pair's weight (a LabelEncoder)"}]
    training = {"fit_rows": len(train), "pairs": len(pairs), "intercept": round(intercept, 6),
                "minutes_per_mile": round(distance_weight, 6)}
    return Fitted(model, build_baseline_onnx(model, doc, props), BASELINE_ALGORITHM, derived, training)


RECIPES = {"lightgbm": fit_lightgbm, "baseline": fit_baseline}


def write_extra_files(fitted: Fitted, out: Path) -> None:
    for name, writer in fitted.extra_files.items():
        writer(out / name)
