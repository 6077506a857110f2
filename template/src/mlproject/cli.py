"""The command line: ``python -m mlproject COMMAND`` (``--help`` lists the commands).

Problems the user can fix (a :class:`~mlproject.errors.ProjectError`) are printed as one
short message on stderr, starting ``error:``, and the command exits with status 1. Anything
else is a bug, and keeps its traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
import time
from pathlib import Path

from mlproject import __version__
from mlproject.errors import ProjectError


def _shown(path: Path) -> str:
    """A path relative to the current folder when it is inside it (shorter, and the same on
    every machine); otherwise as it is."""
    try:
        return Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def _results_folder(args, config) -> Path:
    return Path(args.results) if getattr(args, "results", None) else config.folder / "results"


def _development(config):
    """The checked data, split into development rows and the locked-away test rows."""
    from mlproject.data import check_enough_data, check_metric, load_dataset
    from mlproject.holdout import hold_out

    data = load_dataset(config)
    development, test = hold_out(config, data)
    check_enough_data(development, config)
    check_metric(development, config)
    return data, development, test


def _write_reports(results: dict, config, out: Path) -> None:
    from mlproject.report import model_card, write_json

    write_json(results, out / "results.json")
    (out / "model-card.md").write_text(model_card(results, config), encoding="utf-8", newline="\n")


def prepare(args: argparse.Namespace) -> None:
    from mlproject.config import load_config
    from mlproject.prepare import run

    config = load_config(args.config)
    out, rows = run(config)
    provenance = _shown(out.parent / "provenance.json")
    print(f"Prepared '{config.processed}' ({rows} rows) from '{config.raw}'; checksums and provenance in {provenance}.")


def validate(args: argparse.Namespace) -> None:
    from mlproject.config import load_config

    config = load_config(args.config)
    data, development, test = _development(config)
    print(f"The data pass every check: '{config.processed}' (SHA-256 {data.sha256[:12]}...), prepared from '{config.raw}'.")
    target = f"{data.y.nunique()} classes" if config.classification else f"target from {data.y.min():g} to {data.y.max():g}"
    held = f"{len(test.y)} locked away as the test set" if test is not None else "no test set"
    kept = f"; {data.duplicates} duplicated rows kept ([data] allow_duplicates)" if data.duplicates else ""
    print(f"{len(data.y)} rows used ({data.rows_dropped} dropped for missing values{kept}), {target}:")
    print(f"{len(development.y)} for development, {held}.")


def train(args: argparse.Namespace) -> None:
    from sklearn.base import clone
    from threadpoolctl import threadpool_limits

    from mlproject.config import load_config
    from mlproject.evaluate import make_splits, per_class_results, score_models, summarise
    from mlproject.figure import draw
    from mlproject.holdout import record
    from mlproject.model import make_models, save_model
    from mlproject.report import build_results, holdout_text, run_info, write_json

    started = time.perf_counter()
    config = load_config(args.config)
    data, development, test = _development(config)
    models = make_models(config)
    splits = make_splits(config, development)
    # One thread for the numerical libraries: with more, the order in which numbers are added
    # depends on the machine's number of cores, and so can the last digits of the results.
    with threadpool_limits(limits=1):
        scores = score_models(models, development, splits, config.metric)
        final = clone(models[config.share]).fit(development.X, development.y)  # the model we share
        by_class = per_class_results(models[config.share], development, splits, config)
    summary, comparisons = summarise(scores, splits, config.confidence)
    test_set = record(config, data, test)
    results = build_results(config, data, development, test_set, models, splits, summary, comparisons, by_class)

    out = Path(args.out) if args.out else config.folder / "results"
    out.mkdir(parents=True, exist_ok=True)
    save_model(final, out / "model.skops")
    draw(results, out / "scores.png")
    _write_reports(results, config, out)
    write_json(run_info(time.perf_counter() - started, args.argv, config.folder), out / "run-info.json")

    level = f"{config.confidence:.0%}"
    print(f"Data: '{config.processed}', {len(development.y)} development rows, {len(splits)} folds ({config.scheme}).")
    print(f"{config.metric}, mean over folds ({level} interval):")
    for name, s in summary.items():
        print(f"  {name:<17} {s['mean']:8.3f}  ({s['interval'][0]:.3f} to {s['interval'][1]:.3f})")
    for name, c in comparisons.items():
        low, high = c["interval"]
        print(f"  {name:<17} {c['mean']:+8.3f}  ({low:+.3f} to {high:+.3f})  {c['verdict']}")
    for sentence in [*results["conclusions"], holdout_text(results, config)]:
        print(_wrap(sentence))
    print(f"Wrote model.skops, scores.png, model-card.md, results.json and run-info.json to {_shown(out)}/.")


def evaluate_test(args: argparse.Namespace) -> None:
    from threadpoolctl import threadpool_limits

    from mlproject.config import load_config
    from mlproject.holdout import LOG, looks, record, record_look, score_test_set, settings_sha256
    from mlproject.model import load_model
    from mlproject.report import code_label, read_results, rounded

    config = load_config(args.config)
    data, _, test = _development(config)
    if test is None:
        raise ProjectError(f"There is no test set: [validation] test_fraction is 0 in {config.source}.")
    out = _results_folder(args, config)
    results = read_results(out)
    test_set = record(config, data, test)
    trained = (results.get("test_set") or {}).get("fingerprint"), results["config"]
    if trained != (test_set["fingerprint"], rounded(config.settings)):
        raise ProjectError(
            f"The results in {_shown(out)}/ do not come from {config.source} and the data as they are now: "
            "run `python -m mlproject train` first, then evaluate-test."
        )
    before = looks(config.folder)
    if before and not args.again:
        raise ProjectError(
            f"The test set has been looked at {len(before)} time(s) already (first on {before[0]['utc'][:10]}, "
            f"see {LOG}): another look makes its score optimistic. If you must, run `python -m mlproject "
            "evaluate-test --again`: the look is recorded, and the model card says so."
        )
    model, digest = load_model(out / "model.skops", _shown(out / "model.skops"))
    with threadpool_limits(limits=1):
        found = score_test_set(model, test, config)
    look = {"look": len(before) + 1, "shared": config.share, "metric": config.metric, **found, "model_sha256": digest,
            "settings_sha256": settings_sha256(config), "test_set": test_set["fingerprint"], "code": code_label(config.folder)}
    record_look(config.folder, rounded(look))
    results["test_set"] = rounded(record(config, data, test))
    _write_reports(results, config, out)
    low, high = found["interval"]
    print(
        f"Test set, look {look['look']}: {config.metric} {found['score']:.3f} ({config.confidence:.0%} bootstrap "
        f"interval {low:.3f} to {high:.3f}) for the {config.share}, on {found['rows']} rows."
    )
    print(f"Recorded in {LOG} (commit it), and in {_shown(out)}/results.json and model-card.md.")
    if look["look"] > 1:
        print(_wrap(f"This is look {look['look']} at the test set: only the first is an unbiased estimate. Report every look."))


def predict(args: argparse.Namespace) -> None:
    import pandas as pd

    from mlproject.config import load_config
    from mlproject.data import check_columns, check_values
    from mlproject.model import load_model
    from mlproject.prepare import prepare as prepare_table
    from mlproject.prepare import read_raw
    from mlproject.report import code_label, read_results

    config = load_config(args.config)
    out = _results_folder(args, config)
    results = read_results(out)
    if (results["task"], results["data"]["target"], results["data"]["features"]) != (config.task, config.target, config.features):
        raise ProjectError(f"The model in {_shown(out)}/ was trained for another task, target or features than {config.source} "
                           "names now: run `python -m mlproject train` again.")
    model, digest = load_model(out / "model.skops", _shown(out / "model.skops"))
    path = Path(args.file)
    if not path.is_file():
        raise ProjectError(f"There is no file '{args.file}' to predict: give the path of a CSV file with the features.")
    table = prepare_table(read_raw(path, args.file))
    check_columns(table, config, args.file, need_target=False)
    table = check_values(table, config, args.file, with_target=False)
    usable = table[config.features].notna().all(axis=1)
    if not usable.any():
        raise ProjectError(f"No row of '{args.file}' has a value for every feature: there is nothing to predict.")
    rows = table.loc[usable, config.features]
    predictions = table.copy()
    predictions[f"predicted_{config.target}"] = pd.Series(model.predict(rows), index=rows.index)
    if config.classification and hasattr(model, "predict_proba"):
        for label, column in zip(model.classes_, model.predict_proba(rows).T):
            predictions[f"probability_{label}"] = pd.Series(column, index=rows.index)
    predictions["model_sha256"] = digest
    predictions["code_version"] = code_label(config.folder)
    target = Path(args.out) if args.out else out / f"{path.stem}-predictions.csv"
    predictions.to_csv(target, index=False, lineterminator="\n")
    missing = f"; {(~usable).sum()} row(s) with a missing feature have none" if not usable.all() else ""
    print(f"Predicted {usable.sum()} row(s) of '{args.file}' with the {results['shared']} ({digest[:12]}...){missing}.")
    print(f"Wrote {_shown(target)}.")


def compare(args: argparse.Namespace) -> None:
    from mlproject.compare import ABS_TOL, differences

    files = []
    for name in (args.first, args.second):
        if not Path(name).is_file():
            raise ProjectError(f"There is no file '{name}' to compare.")
        files.append(json.loads(Path(name).read_text(encoding="utf-8")))
    found = differences(*files)
    if found:
        more = f" and {len(found) - 3} more" if len(found) > 3 else ""
        raise ProjectError(
            f"'{args.second}' differs from '{args.first}' in {len(found)} place(s) (numbers by more than "
            f"{ABS_TOL:g}): {'; '.join(found[:3])}{more}. Find out why (another package version? changed data "
            "or settings?); if the change is meant, commit the new results.json."
        )
    print(f"'{args.second}' matches '{args.first}': numbers within {ABS_TOL:g}, everything else exactly (versions not compared).")


def checksum(args: argparse.Namespace) -> None:
    from mlproject.data import MANIFEST, record_checksum

    path = Path(args.file)
    digest = record_checksum(path)
    print(f"{digest}  {path.name}  (recorded in {_shown(path.parent / MANIFEST)})")


def parser() -> argparse.ArgumentParser:
    main_parser = argparse.ArgumentParser(
        prog="python -m mlproject", description="Prepare, check, train, evaluate and apply the project's model reproducibly."
    )
    main_parser.add_argument("--version", action="version", version=f"mlproject {__version__}")
    commands = main_parser.add_subparsers(dest="command", required=True)

    def command(name, run, help_text):
        sub = commands.add_parser(name, help=help_text)
        sub.add_argument("--config", default="config.toml", help="the config file (default: config.toml)")
        sub.set_defaults(run=run)
        return sub

    command("prepare", prepare, "make the processed data from the raw data (src/mlproject/prepare.py)")
    command("validate", validate, "check the processed data against config.toml, and stop")
    command("train", train, "cross-validate, compare with baselines, save model, figure and reports").add_argument(
        "--out", help="folder for the outputs (default: results/ next to the config file)")
    test = command("evaluate-test", evaluate_test, "score the shared model on the locked-away test set, once")
    test.add_argument("--again", action="store_true", help="look again, although it has been looked at (recorded)")
    new = command("predict", predict, "predict new data with the shared model")
    new.add_argument("file", help="a CSV file with the features, e.g. data/new/samples.csv")
    new.add_argument("--out", help="the predictions file (default: results/NAME-predictions.csv)")
    for sub in (test, new):
        sub.add_argument("--results", help="the folder `train` wrote (default: results/)")
    same = commands.add_parser("compare", help="compare two results files: numbers within a tolerance")
    same.add_argument("first")
    same.add_argument("second")
    same.set_defaults(run=compare)
    record = commands.add_parser("checksum", help="record a data file's SHA-256 in the SHA256SUMS next to it")
    record.add_argument("file", help="the data file, e.g. data/raw/my-data.csv")
    record.set_defaults(run=checksum)
    return main_parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; return the exit status (0: done, 1: a problem the user can fix)."""
    argv = sys.argv[1:] if argv is None else argv
    args = parser().parse_args(argv)
    args.argv = argv
    try:
        args.run(args)
    except ProjectError as error:
        print(_wrap(f"error: {error}"), file=sys.stderr)
        return 1
    return 0


def _wrap(message: str, width: int = 88) -> str:
    """Wrap each line of a message for the terminal, keeping its indentation."""
    lines = []
    for line in message.splitlines():
        indent = " " * (len(line) - len(line.lstrip()) + 2)
        lines.append(textwrap.fill(line, width, subsequent_indent=indent, break_on_hyphens=False))
    return "\n".join(lines)
