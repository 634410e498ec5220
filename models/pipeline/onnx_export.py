"""Wraps the converted LightGBM trees in a graph that takes the raw ride-start inputs of the serving contract.

Contract: five [N, 1] inputs (ids, hour and day as int64, distance as float32) and one [N, 1] float32 output named
`duration`. Casts, the zone -> borough lookup and the feature concat all happen inside the graph, so the serving side
only feeds raw values. The output is clipped to the 1..60 minutes the model was trained on.
"""

from pathlib import Path

import numpy as np
import onnx
import onnxmltools
from onnx import TensorProto, helper, numpy_helper
from onnxmltools.convert.common.data_types import FloatTensorType

from .data import MAX_DURATION_MIN, MIN_DURATION_MIN
from .native_model import MODEL_FEATURES, UNKNOWN_BOROUGH, NativeModel

BATCH = "N"
OUTPUT = "duration"
# onnxmltools 1.14 emits TreeEnsembleRegressor (ai.onnx.ml) under a default-domain opset it caps at 15.
CONVERTER_OPSET = 15
DEFAULT_OPSET = 15
ML_OPSET = 3
INPUTS = (
    ("PULocationID", TensorProto.INT64),
    ("DOLocationID", TensorProto.INT64),
    ("trip_distance", TensorProto.FLOAT),
    ("pickup_hour", TensorProto.INT64),
    ("pickup_dow", TensorProto.INT64),
)
ELEMENT_TYPE_NAMES = {TensorProto.INT64: "int64", TensorProto.FLOAT: "float32", TensorProto.DOUBLE: "float64"}


def _trees(model: NativeModel) -> onnx.GraphProto:
    initial = [("features", FloatTensorType([None, len(MODEL_FEATURES)]))]
    converted = onnxmltools.convert_lightgbm(model.booster, initial_types=initial, target_opset=CONVERTER_OPSET)
    return converted.graph


def _encoding_nodes(model: NativeModel) -> list[onnx.NodeProto]:
    locations = sorted(model.boroughs.by_location)
    codes = [float(model.boroughs.by_location[loc]) for loc in locations]
    nodes = []
    for name, elem_type in INPUTS:
        if elem_type == TensorProto.INT64:
            nodes.append(helper.make_node("Cast", [name], [f"{name}_f"], to=TensorProto.FLOAT, name=f"cast_{name}"))
    for side in ("PU", "DO"):
        nodes.append(helper.make_node(
            "LabelEncoder", [f"{side}LocationID"], [f"{side}_borough"], domain="ai.onnx.ml",
            keys_int64s=locations, values_floats=codes, default_float=float(UNKNOWN_BOROUGH),
            name=f"borough_{side}",
        ))
    # Same column order as MODEL_FEATURES, which the booster was trained on.
    columns = ["PULocationID_f", "DOLocationID_f", "trip_distance", "pickup_hour_f", "pickup_dow_f",
               "PU_borough", "DO_borough"]
    nodes.append(helper.make_node("Concat", columns, ["features"], axis=1, name="concat_features"))
    return nodes


def build_onnx(model: NativeModel, doc: str, metadata: dict[str, str]) -> onnx.ModelProto:
    trees = _trees(model)
    tree_output = trees.output[0].name
    bounds = [numpy_helper.from_array(np.array(value, dtype=np.float32), name)
              for name, value in (("duration_min", MIN_DURATION_MIN), ("duration_max", MAX_DURATION_MIN))]
    nodes = [*_encoding_nodes(model), *trees.node,
             helper.make_node("Clip", [tree_output, "duration_min", "duration_max"], [OUTPUT], name="clip_duration")]
    inputs = [helper.make_tensor_value_info(name, elem, [BATCH, 1]) for name, elem in INPUTS]
    outputs = [helper.make_tensor_value_info(OUTPUT, TensorProto.FLOAT, [BATCH, 1])]
    graph = helper.make_graph(nodes, "ride_duration", inputs, outputs, initializer=[*trees.initializer, *bounds])
    onnx_model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", DEFAULT_OPSET), helper.make_opsetid("ai.onnx.ml", ML_OPSET)],
        producer_name="models/train.py",
        doc_string=doc,
    )
    # IR 8 is read by every onnxruntime since 1.14, including onnxruntime-node 1.23.
    onnx_model.ir_version = 8
    helper.set_model_props(onnx_model, metadata)
    onnx.checker.check_model(onnx_model, full_check=True)
    return onnx_model


def save_onnx(onnx_model: onnx.ModelProto, path: Path) -> None:
    path.write_bytes(onnx_model.SerializeToString())


def io_description(onnx_model: onnx.ModelProto) -> dict[str, list[dict]]:
    """Inputs and outputs as onnxruntime-node reports them (element type names like "int64", "float32")."""
    def describe(values):
        return [{
            "name": value.name,
            "type": ELEMENT_TYPE_NAMES[value.type.tensor_type.elem_type],
            "shape": [d.dim_param or d.dim_value for d in value.type.tensor_type.shape.dim],
        } for value in values]
    return {"inputs": describe(onnx_model.graph.input), "outputs": describe(onnx_model.graph.output)}


def onnx_feeds(pu, do, distance, hour, dow) -> dict[str, np.ndarray]:
    column = lambda values, dtype: np.asarray(values, dtype=dtype).reshape(-1, 1)  # noqa: E731
    return {
        "PULocationID": column(pu, np.int64),
        "DOLocationID": column(do, np.int64),
        "trip_distance": column(distance, np.float32),
        "pickup_hour": column(hour, np.int64),
        "pickup_dow": column(dow, np.int64),
    }
