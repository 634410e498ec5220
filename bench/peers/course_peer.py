"""The course's way: consume one ride, score it alone with the native model, publish the prediction.

Like the Zoomcamp's streaming Lambda (one record in, one predict call, one record out, JSON), but with the
producer left asynchronous and the native LightGBM model of our ride-duration version (the same model family).
    bench/peers/.venv/bin/python bench/peers/course_peer.py --brokers h:p --topic rides --output preds \
        --group g --limit 100000
"""

import json
import time
from datetime import datetime
from zoneinfo import ZoneInfo

from ride_model import consumer, decode, load_model, parse_args, produce, producer, ride_schemas

NYC = ZoneInfo("America/New_York")
IDLE_LIMIT_S = 60


def prepare_features(ride: dict) -> dict:
    pickup = datetime.fromtimestamp(ride["pickup_datetime"] / 1000, NYC)
    return {
        "PULocationID": ride["PULocationID"],
        "DOLocationID": ride["DOLocationID"],
        "trip_distance": ride["trip_distance"],
        "pickup_hour": pickup.hour,
        "pickup_dow": pickup.weekday(),
    }


def main() -> None:
    args = parse_args(__doc__)
    model, metadata = load_model(args.model)
    schemas = ride_schemas()
    source, sink = consumer(args), producer(args)
    done, idle_since = 0, time.monotonic()
    while done < args.limit:
        message = source.poll(1.0)
        if message is None or message.error():
            if time.monotonic() - idle_since > IDLE_LIMIT_S:
                raise SystemExit(f"no rides for {IDLE_LIMIT_S} s after {done}")
            continue
        idle_since = time.monotonic()
        ride = decode(message, schemas)
        f = prepare_features(ride)
        duration = float(model.predict([f["PULocationID"]], [f["DOLocationID"]], [f["trip_distance"]],
                                       [f["pickup_hour"]], [f["pickup_dow"]])[0])
        body = {
            "model": metadata["name"],
            "version": metadata["version"],
            "prediction": {"ride_duration": duration, "ride_id": ride["ride_id"]},
        }
        produce(sink, args.output, message.key(), json.dumps(body), message.timestamp()[1])
        sink.poll(0)
        done += 1
    sink.flush()
    source.close()
    print(json.dumps({"peer": "course", "events": done}))


if __name__ == "__main__":
    main()
