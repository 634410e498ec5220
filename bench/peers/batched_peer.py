"""A batched Python peer: consume(num_messages=N), one vectorised predict per batch, Avro predictions out.

Its best settings: batches of --batch messages (2000, as our consumer's MAX_BATCH), features built with numpy and
pandas for the whole batch, the native LightGBM booster called once per batch, an asynchronous idempotent producer.
    bench/peers/.venv/bin/python bench/peers/batched_peer.py --brokers h:p --topic rides --output preds \
        --group g --limit 1000000
"""

import json
import time

import numpy as np
import pandas as pd

from ride_model import (
    NYC,
    consumer,
    decode,
    encode_prediction,
    load_model,
    parse_args,
    prediction_schema,
    produce,
    producer,
    ride_schemas,
)

IDLE_LIMIT_S = 60


def main() -> None:
    args = parse_args(__doc__)
    model, metadata = load_model(args.model)
    schemas, out_schema = ride_schemas(), prediction_schema()
    source, sink = consumer(args), producer(args)
    done, idle_since = 0, time.monotonic()
    while done < args.limit:
        messages = [m for m in source.consume(num_messages=args.batch, timeout=0.5) if not m.error()]
        if not messages:
            if time.monotonic() - idle_since > IDLE_LIMIT_S:
                raise SystemExit(f"no rides for {IDLE_LIMIT_S} s after {done}")
            continue
        idle_since = time.monotonic()
        rides = [decode(m, schemas) for m in messages]
        pickup_ms = np.fromiter((r["pickup_datetime"] for r in rides), dtype=np.int64, count=len(rides))
        local = pd.DatetimeIndex(pd.to_datetime(pickup_ms, unit="ms", utc=True)).tz_convert(NYC)
        durations = model.predict(
            np.fromiter((r["PULocationID"] for r in rides), dtype=np.int64, count=len(rides)),
            np.fromiter((r["DOLocationID"] for r in rides), dtype=np.int64, count=len(rides)),
            np.fromiter((r["trip_distance"] for r in rides), dtype=np.float64, count=len(rides)),
            local.hour.to_numpy(), local.dayofweek.to_numpy(),
        )
        scored_at = int(time.time() * 1000)
        for message, ride, duration in zip(messages, rides, durations.tolist(), strict=True):
            record = {
                "ride_id": ride["ride_id"], "ride_duration": duration, "model": metadata["name"],
                "version": metadata["version"], "event_time": ride["pickup_datetime"], "scored_at": scored_at,
            }
            produce(sink, args.output, message.key(), encode_prediction(record, out_schema), message.timestamp()[1])
        sink.poll(0)
        done += len(messages)
    sink.flush()
    source.close()
    print(json.dumps({"peer": "batched", "events": done}))


if __name__ == "__main__":
    main()
