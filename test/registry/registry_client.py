"""Confluent's Python client against our topics and a schema registry: an outside producer and reader.

    read  --brokers h:p --topic t --registry URL --count N   prints one JSON line per record: key, timestamp,
          header names and the value decoded by AvroDeserializer (writer schema fetched by id from the registry)
    write --brokers h:p --topic t --registry URL --count N   writes N ride-started v1 events with AvroSerializer,
          which registers that schema under <topic>-value: an upstream on an older schema version
"""

import argparse
import json
from pathlib import Path

from confluent_kafka import Consumer, Producer
from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.serialization import MessageField, SerializationContext

AVRO_DIR = Path(__file__).resolve().parents[2] / "shared" / "src" / "avro"


def read(args: argparse.Namespace, registry: SchemaRegistryClient) -> None:
    deserialize = AvroDeserializer(registry)
    consumer = Consumer({
        "bootstrap.servers": args.brokers,
        "group.id": f"registry-reader-{args.topic}",
        "auto.offset.reset": "earliest",
        "enable.auto.commit": False,
    })
    consumer.subscribe([args.topic])
    seen = 0
    while seen < args.count:
        message = consumer.poll(30)
        if message is None:
            raise SystemExit(f"no record for 30 s after {seen} of {args.count}")
        if message.error():
            continue
        value = deserialize(message.value(), SerializationContext(message.topic(), MessageField.VALUE))
        print(json.dumps({
            "key": message.key().decode(),
            "timestamp": message.timestamp()[1],
            "headers": [name for name, _ in message.headers() or []],
            "value": value,
        }, default=str))  # timestamp-millis fields decode to datetimes
        seen += 1
    consumer.close()


def write(args: argparse.Namespace, registry: SchemaRegistryClient) -> None:
    serialize = AvroSerializer(registry, (AVRO_DIR / "ride-started.v1.avsc").read_text())
    producer = Producer({"bootstrap.servers": args.brokers, "acks": "all"})
    context = SerializationContext(args.topic, MessageField.VALUE)
    for i in range(args.count):
        ride = {
            "ride_id": f"upstream-v1-{i}",
            "pickup_datetime": 1_612_180_800_000 + i * 60_000,
            "PULocationID": 74 + i % 10,
            "DOLocationID": 75,
            "trip_distance": 1.5 + i / 10,
        }
        producer.produce(args.topic, key=ride["ride_id"], value=serialize(ride, context))
    if producer.flush(30) != 0:
        raise SystemExit("records still unsent after 30 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["read", "write"])
    parser.add_argument("--brokers", required=True)
    parser.add_argument("--topic", required=True)
    parser.add_argument("--registry", required=True)
    parser.add_argument("--count", type=int, required=True)
    args = parser.parse_args()
    registry = SchemaRegistryClient({"url": args.registry})
    (read if args.mode == "read" else write)(args, registry)


if __name__ == "__main__":
    main()
