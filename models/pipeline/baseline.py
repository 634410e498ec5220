"""The course's baseline: DictVectorizer over PU_DO + trip_distance, then ordinary least squares.

As a servable model (`LinearBaseline`) its prediction is clipped to the 1..60 minutes it was trained on, like the
LightGBM model's; `baseline_rmse` keeps the course's unclipped figures for the comparison in metadata.json.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LinearRegression
from sklearn.metrics import root_mean_squared_error

from .data import MAX_DURATION_MIN, MIN_DURATION_MIN, TARGET

PAIR_PREFIX = "PU_DO="
DISTANCE = "trip_distance"


def _records(frame: pd.DataFrame) -> list[dict]:
    pu_do = frame["PULocationID"].astype(str) + "_" + frame["DOLocationID"].astype(str)
    return pd.DataFrame({"PU_DO": pu_do, "trip_distance": frame["trip_distance"]}).to_dict(orient="records")


@dataclass(frozen=True)
class LinearBaseline:
    vectorizer: DictVectorizer
    regression: LinearRegression

    @classmethod
    def fit(cls, train: pd.DataFrame) -> "LinearBaseline":
        vectorizer = DictVectorizer()
        x_train = vectorizer.fit_transform(_records(train))
        return cls(vectorizer, LinearRegression().fit(x_train, train[TARGET].to_numpy()))

    def predict_unclipped(self, frame: pd.DataFrame) -> np.ndarray:
        return self.regression.predict(self.vectorizer.transform(_records(frame)))

    def predict_frame(self, frame: pd.DataFrame) -> np.ndarray:
        return np.clip(self.predict_unclipped(frame), MIN_DURATION_MIN, MAX_DURATION_MIN)

    def terms(self) -> tuple[float, dict[tuple[int, int], float], float]:
        """(intercept, weight of each (PU, DO) pair seen in training, weight per mile): the whole model."""
        pairs: dict[tuple[int, int], float] = {}
        distance_weight = None
        for name, weight in zip(self.vectorizer.feature_names_, self.regression.coef_, strict=True):
            if name == DISTANCE:
                distance_weight = float(weight)
            else:
                pu, do = name.removeprefix(PAIR_PREFIX).split("_")
                pairs[(int(pu), int(do))] = float(weight)
        if distance_weight is None:
            raise ValueError("the baseline has no trip_distance weight")
        return float(self.regression.intercept_), pairs, distance_weight


def baseline_rmse(train: pd.DataFrame, validation: pd.DataFrame) -> dict[str, float]:
    model = LinearBaseline.fit(train)
    return {
        "train_rmse": float(root_mean_squared_error(train[TARGET], model.predict_unclipped(train))),
        "validation_rmse": float(root_mean_squared_error(validation[TARGET], model.predict_unclipped(validation))),
    }
