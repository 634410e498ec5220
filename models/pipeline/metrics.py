"""Error figures reported in metadata.json, the gate's table and the README."""

import numpy as np


def regression_metrics(actual: np.ndarray, predicted: np.ndarray) -> dict[str, float]:
    """rmse, mae and bias = mean(predicted - actual), in minutes (bias > 0: the model predicts too long)."""
    error = np.asarray(predicted, dtype=np.float64) - np.asarray(actual, dtype=np.float64)
    return {"rmse": float(np.sqrt(np.mean(error**2))), "mae": float(np.mean(np.abs(error))),
            "bias": float(np.mean(error))}
