"""The course's baseline: DictVectorizer over PU_DO + trip_distance, then ordinary least squares."""

import pandas as pd
from sklearn.feature_extraction import DictVectorizer
from sklearn.linear_model import LinearRegression
from sklearn.metrics import root_mean_squared_error

from .data import TARGET


def _records(frame: pd.DataFrame) -> list[dict]:
    pu_do = frame["PULocationID"].astype(str) + "_" + frame["DOLocationID"].astype(str)
    return pd.DataFrame({"PU_DO": pu_do, "trip_distance": frame["trip_distance"]}).to_dict(orient="records")


def baseline_rmse(train: pd.DataFrame, validation: pd.DataFrame) -> dict[str, float]:
    vectorizer = DictVectorizer()
    x_train = vectorizer.fit_transform(_records(train))
    x_valid = vectorizer.transform(_records(validation))
    model = LinearRegression().fit(x_train, train[TARGET].to_numpy())
    return {
        "train_rmse": float(root_mean_squared_error(train[TARGET], model.predict(x_train))),
        "validation_rmse": float(root_mean_squared_error(validation[TARGET], model.predict(x_valid))),
    }
