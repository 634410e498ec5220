"""The linear baseline as a serving graph with the same contract as the LightGBM model (pipeline/onnx_export.py).

A linear model over one-hot PU_DO plus distance is intercept + w[PU, DO] + w_d * distance. In the graph:
key = PU * PAIR_KEY_BASE + DO, an `ai.onnx.ml` LabelEncoder from the key to intercept + w[PU, DO] (the intercept
alone for a pair never seen in training, whose one-hot column DictVectorizer drops), plus w_d * distance, then the
same Clip to 1..60 minutes. pickup_hour and pickup_dow are inputs of the contract the baseline does not use.
"""

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from .baseline import LinearBaseline
from .data import MAX_DURATION_MIN, MIN_DURATION_MIN
from .onnx_export import BATCH, DEFAULT_OPSET, INPUTS, ML_OPSET, OUTPUT

# Zone ids are 1..265 (the serving side refuses others), so PU * 1000 + DO never maps two pairs to one key.
PAIR_KEY_BASE = 1000


def _constant(name: str, value, dtype) -> onnx.TensorProto:
    return numpy_helper.from_array(np.array(value, dtype=dtype), name)


def build_baseline_onnx(model: LinearBaseline, doc: str, metadata: dict[str, str]) -> onnx.ModelProto:
    intercept, pairs, distance_weight = model.terms()
    keys = sorted(pairs)
    # The intercept is folded into each pair's value in float64, so the graph adds only two float32 terms.
    nodes = [
        helper.make_node("Mul", ["PULocationID", "pair_key_base"], ["pu_scaled"], name="pair_key_scale"),
        helper.make_node("Add", ["pu_scaled", "DOLocationID"], ["pair_key"], name="pair_key"),
        helper.make_node(
            "LabelEncoder", ["pair_key"], ["pair_term"], domain="ai.onnx.ml", name="pair_weight",
            keys_int64s=[pu * PAIR_KEY_BASE + do for pu, do in keys],
            values_floats=[intercept + pairs[key] for key in keys], default_float=intercept,
        ),
        helper.make_node("Mul", ["trip_distance", "distance_weight"], ["distance_term"], name="distance_term"),
        helper.make_node("Add", ["pair_term", "distance_term"], ["linear"], name="linear"),
        helper.make_node("Clip", ["linear", "duration_min", "duration_max"], [OUTPUT], name="clip_duration"),
    ]
    initializers = [
        _constant("pair_key_base", PAIR_KEY_BASE, np.int64),
        _constant("distance_weight", distance_weight, np.float32),
        _constant("duration_min", MIN_DURATION_MIN, np.float32),
        _constant("duration_max", MAX_DURATION_MIN, np.float32),
    ]
    inputs = [helper.make_tensor_value_info(name, elem, [BATCH, 1]) for name, elem in INPUTS]
    outputs = [helper.make_tensor_value_info(OUTPUT, TensorProto.FLOAT, [BATCH, 1])]
    graph = helper.make_graph(nodes, "ride_duration_linear_baseline", inputs, outputs, initializer=initializers)
    onnx_model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", DEFAULT_OPSET), helper.make_opsetid("ai.onnx.ml", ML_OPSET)],
        producer_name="models/train.py --baseline",
        doc_string=doc,
    )
    onnx_model.ir_version = 8
    helper.set_model_props(onnx_model, metadata)
    onnx.checker.check_model(onnx_model, full_check=True)
    return onnx_model
