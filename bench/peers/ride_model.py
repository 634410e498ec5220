"""What both Python peers share: arguments, the Kafka clients, Avro decoding and the native LightGBM model.

The model is the booster the ONNX graph was exported from (models/ride-duration/<version>/lightgbm.txt.gz),
loaded through models/pipeline so the features (borough codes, NYC hour and weekday) are computed the same way.
"""

import argparse
import io
import json
import sys
from pathlib import Path

import fastavro
from confluent_kafka import Consumer, Producer

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "models"))

from pipeline.native_model import BoroughCodes, NativeModel  # noqa: E402

AVRO_DIR = REPO / "shared" / "src" / "avro"
SCHEMA_IDS = json.loads((AVRO_DIR / "schema-ids.json").read_text())["ids"]
PREDICTION_SCHEMA_ID = SCHEMA_IDS["ride-prediction.v1.avsc"]
NYC = "America/New_York"


def parse_args(description: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--brokers", required=True)
    parser.add_argument("--topic", required=True)
    parser.add_argument("--output", required=True)
    parser.add_argument("--group", required=True)
    parser.add_argument("--limit", type=int, required=True, help="stop after this many events")
    parser.add_argument("--batch", type=int, default=2000, help="batched peer: messages per consume()")
    parser.add_argument("--model", type=Path, default=REPO / "models" / "ride-duration" / "1.0.0")
    return parser.parse_args()


def load_model(model_dir: Path) -> tuple[NativeModel, dict]:
    metadata = json.loads((model_dir / "metadata.json").read_text())
    model = NativeModel.load(model_dir / "lightgbm.txt.gz", BoroughCodes.from_metadata(metadata))
    return model, metadata


def plain_schema(path: Path) -> dict:
    """The schema with logical types dropped: timestamps stay epoch-ms ints, as in the TypeScript codec."""
    schema = json.loads(path.read_text())
    for field in schema["fields"]:
        if isinstance(field["type"], dict):
            field["type"].pop("logicalType", None)
    return fastavro.parse_schema(schema)


def ride_schemas() -> dict[int, dict]:
    """Writer schemas by their fixed Confluent schema id (shared/src/avro/schema-ids.json)."""
    return {SCHEMA_IDS[path.name]: plain_schema(path) for path in sorted(AVRO_DIR.glob("ride-started.v*.avsc"))}


def prediction_schema() -> dict:
    return plain_schema(AVRO_DIR / "ride-prediction.v1.avsc")


def decode(message, schemas: dict[int, dict]) -> dict:
    """A ride in the Confluent wire format: magic byte 0, 4-byte big-endian schema id, Avro body."""
    value = message.value()
    body = io.BytesIO(value)
    body.seek(5)
    return fastavro.schemaless_reader(body, schemas[int.from_bytes(value[1:5], "big")], None)


def encode_prediction(record: dict, schema: dict) -> bytes:
    buffer = io.BytesIO()
    buffer.write(b"\x00" + PREDICTION_SCHEMA_ID.to_bytes(4, "big"))
    fastavro.schemaless_writer(buffer, schema, record)
    return buffer.getvalue()


def consumer(args: argparse.Namespace) -> Consumer:
    client = Consumer({
        "bootstrap.servers": args.brokers,
        "group.id": args.group,
        "auto.offset.reset": "earliest",
        "enable.auto.commit": True,
    })
    client.subscribe([args.topic])
    return client


def producer(args: argparse.Namespace) -> Producer:
    # librdkafka defaults batch with linger.ms=5; acks=all matches our consumer's producer.
    return Producer({"bootstrap.servers": args.brokers, "acks": "all", "enable.idempotence": True})


def produce(sink: Producer, topic: str, key, value, timestamp: int) -> None:
    """Queues one record (no headers, the ride's record timestamp), serving delivery reports while the queue is full."""
    while True:
        try:
            sink.produce(topic, key=key, value=value, timestamp=timestamp)
            return
        except BufferError:
            sink.poll(0.05)
