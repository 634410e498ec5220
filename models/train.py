"""Trains, validates and exports a ride-duration model version: a candidate, never promoted here.

    models/.venv/bin/python models/train.py [--data-dir data] [--version 1.0.0] [--baseline]

Reads green_tripdata_<train month> (default 2021-01) and <validation month> (2021-02) from the data folder
(scripts/fetch-data.sh fills it), reproduces the course's linear baseline, trains the LightGBM model (or, with
--baseline, serves the linear baseline itself), and writes model.onnx, metadata.json (with the training rows'
drift_reference), parity-fixture.json and, for LightGBM, the native lightgbm.txt.gz to
models/ride-duration/<version>/. CURRENT is left alone: models/gate.sh promotes a candidate that beats the champion.
"""

import argparse
import json
import sys
from pathlib import Path

import onnx
import pandas as pd

MODELS_DIR = Path(__file__).resolve().parent
sys.path.insert(0, str(MODELS_DIR))

from pipeline.baseline import baseline_rmse  # noqa: E402
from pipeline.data import TARGET, load_trips, load_zones, sha256_file  # noqa: E402
from pipeline.drift_reference import drift_reference  # noqa: E402
from pipeline.metadata import build_metadata, model_card  # noqa: E402
from pipeline.metrics import regression_metrics  # noqa: E402
from pipeline.native_model import BoroughCodes  # noqa: E402
from pipeline.onnx_export import io_description, save_onnx  # noqa: E402
from pipeline.recipes import RECIPES, write_extra_files  # noqa: E402
from pipeline.parity import PARITY_TOLERANCE_MIN, max_abs_diff, onnx_session  # noqa: E402
from pipeline.synthetic import edge_rides, first_unseen_pair, random_rides, rides_frame  # noqa: E402

NAME = "ride-duration"
FIXTURE_RANDOM_ROWS = 500


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data-dir", type=Path, default=MODELS_DIR.parent / "data")
    parser.add_argument("--out-dir", type=Path, default=MODELS_DIR / NAME)
    parser.add_argument("--version", default="1.0.0")
    parser.add_argument("--train-month", default="2021-01",
                        help="YYYY-MM, or several comma-separated months trained on together")
    parser.add_argument("--validation-month", default="2021-02")
    parser.add_argument("--baseline", action="store_const", dest="recipe", const="baseline", default="lightgbm",
                        help="export the course's linear baseline instead of training LightGBM")
    return parser.parse_args()


def write_json(path: Path, value) -> None:
    path.write_text(json.dumps(value, indent=2) + "\n")


def fixture_rows(model, train) -> list[dict]:
    pairs = set(zip(train["PULocationID"].tolist(), train["DOLocationID"].tolist(), strict=True))
    rows = random_rides(FIXTURE_RANDOM_ROWS) + edge_rides(first_unseen_pair(pairs))
    predictions = model.predict_frame(rides_frame(rows))
    return [{**row, "prediction": float(p)} for row, p in zip(rows, predictions, strict=True)]


def main() -> None:
    args = parse_args()
    out = args.out_dir / args.version
    out.mkdir(parents=True, exist_ok=True)
    train_files = [load_trips(args.data_dir / f"green_tripdata_{month}.parquet")
                   for month in args.train_month.split(",")]
    train_name = " + ".join(f.path.name for f in train_files)
    train_frame = pd.concat([f.frame for f in train_files], ignore_index=True)
    valid = load_trips(args.data_dir / f"green_tripdata_{args.validation_month}.parquet")
    zones_path = args.data_dir / "taxi_zone_lookup.csv"
    zones = load_zones(zones_path)
    boroughs = BoroughCodes.from_zones(zones)
    print(f"train {train_name}: {sum(f.rows_raw for f in train_files)} rows -> {len(train_frame)}; "
          f"validation {valid.rows_raw} -> {valid.rows_clean}")

    baseline = baseline_rmse(train_frame, valid.frame)
    print(f"baseline (DictVectorizer + LinearRegression) validation RMSE {baseline['validation_rmse']:.4f}")

    props = {"name": NAME, "version": args.version}
    fitted = RECIPES[args.recipe](train_frame, boroughs, model_card(NAME, args.version), props)
    model = fitted.model
    scores = {
        "train": regression_metrics(train_frame[TARGET], model.predict_frame(train_frame)),
        "validation": regression_metrics(valid.frame[TARGET], model.predict_frame(valid.frame)),
    }
    print(f"{args.recipe}: train RMSE {scores['train']['rmse']:.4f}, validation RMSE {scores['validation']['rmse']:.4f}"
          f" MAE {scores['validation']['mae']:.4f} bias {scores['validation']['bias']:+.4f}")

    model_path = out / "model.onnx"
    save_onnx(fitted.graph, model_path)
    write_extra_files(fitted, out)
    fixture = fixture_rows(model, train_frame)
    write_json(out / "parity-fixture.json", fixture)

    session = onnx_session(model_path)
    parity = {
        "fixture_max_abs_diff": max_abs_diff(session, model, rides_frame(fixture)),
        "validation_max_abs_diff": max_abs_diff(session, model, valid.frame),
    }
    print(f"ONNX vs native max |diff|: fixture {parity['fixture_max_abs_diff']:.2e} min, "
          f"validation month {parity['validation_max_abs_diff']:.2e} min")

    metadata = build_metadata(
        name=NAME, version=args.version, algorithm=fitted.algorithm, derived_in_graph=fitted.derived_in_graph,
        files={"training": train_files, "validation": valid, "zones": zones_path}, zones=zones, boroughs=boroughs,
        training=fitted.training, scores=scores, baseline=baseline,
        drift_reference=drift_reference(train_frame, train_name, [int(z) for z in zones["LocationID"]],
                                        [boroughs.by_location[int(z)] for z in zones["LocationID"]]),
        parity=parity, io=io_description(onnx.load(str(model_path))), model_sha256=sha256_file(model_path),
        model_bytes=model_path.stat().st_size,
    )
    write_json(out / "metadata.json", metadata)
    print(f"wrote {out} (model.onnx {model_path.stat().st_size / 1e6:.2f} MB); CURRENT unchanged. Promote it with: "
          f"bash models/gate.sh --candidate {args.version} --month <latest labelled YYYY-MM>")
    worst = max(parity.values())
    if worst > PARITY_TOLERANCE_MIN:
        sys.exit(f"parity check failed: ONNX differs from native by {worst:.2e} > {PARITY_TOLERANCE_MIN} minutes")


if __name__ == "__main__":
    main()
