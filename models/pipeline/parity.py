"""Checks that onnxruntime scores the exported graph like the native model does."""

import numpy as np
import onnxruntime as ort
import pandas as pd

from .data import RAW_FEATURES
from .native_model import NativeModel
from .onnx_export import OUTPUT, onnx_feeds

PARITY_TOLERANCE_MIN = 1e-3


def onnx_session(path) -> ort.InferenceSession:
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    return ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def onnx_predict(session: ort.InferenceSession, frame: pd.DataFrame) -> np.ndarray:
    feeds = onnx_feeds(*(frame[name].to_numpy() for name in RAW_FEATURES))
    (duration,) = session.run([OUTPUT], feeds)
    return duration.reshape(-1)


def max_abs_diff(session: ort.InferenceSession, model: NativeModel, frame: pd.DataFrame) -> float:
    return float(np.max(np.abs(onnx_predict(session, frame) - model.predict_frame(frame))))
