"""LightGBM training: fixed hyper-parameters, early stopping on a seeded 10% split of the training month."""

import lightgbm as lgb
import numpy as np
import pandas as pd

from .data import RAW_FEATURES, TARGET
from .native_model import MODEL_FEATURES, BoroughCodes, NativeModel

SEED = 42
EARLY_STOP_FRACTION = 0.1
MAX_ROUNDS = 5000
EARLY_STOP_ROUNDS = 100
PARAMS = {
    "objective": "regression",
    "learning_rate": 0.1,
    "num_leaves": 63,
    "min_data_in_leaf": 50,
    "feature_fraction": 0.9,
    "bagging_fraction": 0.8,
    "bagging_freq": 1,
    "seed": SEED,
    # deterministic + a fixed thread count make reruns bit-identical (LightGBM docs, "deterministic").
    "deterministic": True,
    "force_row_wise": True,
    "num_threads": 2,
    "verbose": -1,
}


def train_booster(train: pd.DataFrame, boroughs: BoroughCodes) -> tuple[NativeModel, dict]:
    """Fits on 90% of the month and stops on the other 10%, so the validation month plays no part in fitting."""
    unfitted = NativeModel(None, boroughs)
    features = unfitted.matrix(*(train[name].to_numpy() for name in RAW_FEATURES))
    target = train[TARGET].to_numpy()
    fit = np.random.default_rng(SEED).random(len(train)) >= EARLY_STOP_FRACTION
    fit_set = lgb.Dataset(features[fit], target[fit], feature_name=list(MODEL_FEATURES), free_raw_data=False)
    stop_set = lgb.Dataset(features[~fit], target[~fit], reference=fit_set)
    booster = lgb.train(
        PARAMS,
        fit_set,
        num_boost_round=MAX_ROUNDS,
        valid_sets=[stop_set],
        callbacks=[lgb.early_stopping(EARLY_STOP_ROUNDS, verbose=False)],
    )
    # Keep only the trees up to the best round so the saved, exported and benchmarked model are one and the same.
    stop_rmse = booster.best_score["valid_0"]["l2"] ** 0.5
    booster = lgb.Booster(model_str=booster.model_to_string(num_iteration=booster.best_iteration))
    details = {
        "params": PARAMS,
        "best_iteration": booster.num_trees(),
        "early_stopping": {
            "fraction_of_training": EARLY_STOP_FRACTION,
            "rows": int((~fit).sum()),
            "rounds": EARLY_STOP_ROUNDS,
            "rmse_at_best_iteration": round(stop_rmse, 4),
        },
        "fit_rows": int(fit.sum()),
    }
    return NativeModel(booster, boroughs), details
