"""The command line: ``python -m mlproject COMMAND`` (``--help`` lists the commands).

Each command is a function below (its docstring is its help text), which imports the heavy
libraries when it runs. A :class:`~mlproject.errors.ProjectError` is printed as one message on
stderr, starting ``error:``, and the command exits with status 1; anything else is a bug.
"""

import argparse
import json
import sys
import textwrap
import time
from pathlib import Path

from mlproject import __version__
from mlproject.config import load_config
from mlproject.errors import ProjectError


def _shown(path: Path) -> str:
    """The path relative to the current folder if it is inside (the same on every machine)."""
    try:
        return Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def say(message: str, file=None) -> None:
    """Print a message for an 80-column terminal: each line wrapped, keeping its indentation."""
    for line in message.splitlines():
        indent = " " * (len(line) - len(line.lstrip()) + 2)
        print(textwrap.fill(line, 79, subsequent_indent=indent, break_on_hyphens=False), file=file)


def _checked_data(args):
    """The config, and the checked data: all rows, the development rows and the test rows."""
    from mlproject.data import check_enough_data, check_metric, load_dataset
    from mlproject.holdout import hold_out

    config = load_config(args.config)
    data = load_dataset(config)
    development, test = hold_out(config, data)
    check_enough_data(development, config)
    check_metric(development, config)
    return config, data, development, test


def _trained(args, config):
    """What `train` wrote: the results folder, the results, the shared model and its checksum."""
    from mlproject.model import load_model

    out = Path(args.results) if args.results else config.folder / "results"
    if not (out / "results.json").is_file():
        raise ProjectError(
            f"There is no results.json in '{out.name}/': run `python -m mlproject train` first."
        )
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    model, digest = load_model(out / "model.skops", _shown(out / "model.skops"))
    return out, results, model, digest


def _write_reports(results: dict, config, out: Path) -> None:
    from mlproject.report import model_card, write_json

    write_json(results, out / "results.json")
    (out / "model-card.md").write_text(model_card(results, config), encoding="utf-8", newline="\n")


def prepare(args):
    """make the processed data from the raw data (src/mlproject/prepare.py)"""
    from mlproject.prepare import run

    config = load_config(args.config)
    out, rows = run(config)
    say(
        f"Prepared '{config.processed}' ({rows} rows) from '{config.raw}'; checksums and "
        f"provenance in {_shown(out.parent / 'provenance.json')}."
    )


def validate(args):
    """check the processed data against config.toml, and stop"""
    config, data, development, test = _checked_data(args)
    say(
        f"The data pass every check: '{config.processed}' (SHA-256 {data.sha256[:12]}...), "
        f"prepared from '{config.raw}'."
    )
    target = f"{data.y.nunique()} classes"
    if not config.classification:
        target = f"target from {data.y.min():g} to {data.y.max():g}"
    kept = f"; {data.duplicates} duplicated rows kept ([data] allow_duplicates)"
    kept = kept if data.duplicates else ""
    say(
        f"{len(data.y)} rows used ({data.rows_dropped} dropped for missing values{kept}), {target}:"
    )
    held = f"{len(test.y)} locked away as the test set" if test is not None else "no test set"
    say(f"{len(development.y)} for development, {held}.")


def train(args):
    """cross-validate, compare with baselines, save model, figure and reports"""
    from sklearn.base import clone
    from threadpoolctl import threadpool_limits

    from mlproject import evaluate, holdout, report
    from mlproject.figure import draw
    from mlproject.model import make_models, save_model

    started = time.perf_counter()
    config, data, development, test = _checked_data(args)
    models = make_models(config)
    splits = evaluate.make_splits(config, development)
    shared = models[config.share]
    # One thread for the numerical libraries: with more, the order in which numbers are added
    # depends on the machine's number of cores, and so can the last digits of the results.
    with threadpool_limits(limits=1):
        scores = evaluate.score_models(models, development, splits, config.metric)
        final = clone(shared).fit(development.X, development.y)  # the model we share
        by_class = evaluate.per_class_results(shared, development, splits, config)
    test_set = holdout.record(config, data, test)
    results = report.build_results(
        config, data, development, test_set, models, splits, scores, by_class
    )
    out = Path(args.out) if args.out else config.folder / "results"
    out.mkdir(parents=True, exist_ok=True)
    save_model(final, out / "model.skops")
    draw(results, out / "scores.png")
    _write_reports(results, config, out)
    info = report.run_info(time.perf_counter() - started, args.argv, config.folder)
    report.write_json(info, out / "run-info.json")

    say(
        f"Data: '{config.processed}', {len(development.y)} development rows, {len(splits)} "
        f"folds ({config.scheme})."
    )
    say(f"{config.metric}, mean over folds ({config.confidence:.0%} interval):")
    for name, s in results["scores"].items():
        low, high = s["interval"]
        say(f"  {name:<17} {s['mean']:8.3f}  ({low:.3f} to {high:.3f})")
    for name, c in results["comparisons"].items():
        low, high = c["interval"]
        say(f"  {name:<17} {c['mean']:+8.3f}  ({low:+.3f} to {high:+.3f})  {c['verdict']}")
    for sentence in [*results["conclusions"], report.holdout_text(results, config)]:
        say(sentence)
    say(
        "Wrote model.skops, scores.png, model-card.md, results.json and run-info.json to "
        f"{_shown(out)}/."
    )


def evaluate_test(args):
    """score the shared model on the locked-away test set, once"""
    from threadpoolctl import threadpool_limits

    from mlproject import holdout
    from mlproject.report import code_label, rounded

    config, data, _, test = _checked_data(args)
    if test is None:
        raise ProjectError(
            f"There is no test set: [validation] test_fraction is 0 in {config.source}."
        )
    out, results, model, digest = _trained(args, config)
    test_set = holdout.record(config, data, test)
    trained = (results.get("test_set") or {}).get("fingerprint"), results["config"]
    if trained != (test_set["fingerprint"], rounded(config.settings)):
        raise ProjectError(
            f"The results in {_shown(out)}/ do not come from {config.source} and the data as "
            "they are now: run `python -m mlproject train` first, then evaluate-test."
        )
    before = holdout.looks(config.folder)
    if before and not args.again:
        raise ProjectError(
            f"The test set has been looked at {len(before)} time(s) already (first on "
            f"{before[0]['utc'][:10]}, see {holdout.LOG}): another look makes its score "
            "optimistic. If you must, run `python -m mlproject evaluate-test --again`: the look "
            "is recorded, and the model card says so."
        )
    with threadpool_limits(limits=1):
        found = holdout.score_test_set(model, test, config)
    look = {
        "look": len(before) + 1,
        "shared": config.share,
        "metric": config.metric,
        **found,
        "model_sha256": digest,
        "settings_sha256": holdout.settings_sha256(config),
        "test_set": test_set["fingerprint"],
        "code": code_label(config.folder),
    }
    holdout.record_look(config.folder, rounded(look))
    results["test_set"] = rounded(holdout.record(config, data, test))
    _write_reports(results, config, out)
    low, high = found["interval"]
    say(
        f"Test set, look {look['look']}: {config.metric} {found['score']:.3f} "
        f"({config.confidence:.0%} bootstrap interval {low:.3f} to {high:.3f}) for the "
        f"{config.share}, on {found['rows']} rows."
    )
    written = f"{_shown(out)}/results.json and model-card.md"
    say(f"Recorded in {holdout.LOG} (commit it), and in {written}.")
    if look["look"] > 1:
        again = f"This is look {look['look']} at the test set: only the first is an unbiased"
        say(f"{again} estimate. Report every look.")


def predict(args):
    """predict new data with the shared model"""
    import pandas as pd

    from mlproject.data import check_columns, check_values
    from mlproject.prepare import prepare, read_raw
    from mlproject.report import code_label

    config = load_config(args.config)
    out, results, model, digest = _trained(args, config)
    trained = results["task"], results["data"]["target"], results["data"]["features"]
    if trained != (config.task, config.target, config.features):
        raise ProjectError(
            f"The model in {_shown(out)}/ was trained for another task, target or features than "
            f"{config.source} names now: run `python -m mlproject train` again."
        )
    path = Path(args.file)
    if not path.is_file():
        raise ProjectError(
            f"There is no file '{args.file}' to predict: give the path of a CSV file with the "
            "features."
        )
    table = prepare(read_raw(path, args.file))
    check_columns(table, config, args.file, target=False)
    table = check_values(table, config, args.file, target=False)
    usable = table[config.features].notna().all(axis=1)
    if not usable.any():
        raise ProjectError(
            f"No row of '{args.file}' has a value for every feature: there is nothing to predict."
        )
    rows, predictions = table.loc[usable, config.features], table.copy()
    predictions[f"predicted_{config.target}"] = pd.Series(model.predict(rows), index=rows.index)
    if config.classification and hasattr(model, "predict_proba"):
        for label, column in zip(model.classes_, model.predict_proba(rows).T):
            predictions[f"probability_{label}"] = pd.Series(column, index=rows.index)
    predictions["model_sha256"] = digest
    predictions["code_version"] = code_label(config.folder)
    target = Path(args.out) if args.out else out / f"{path.stem}-predictions.csv"
    predictions.to_csv(target, index=False, lineterminator="\n")
    missing = f"; {(~usable).sum()} row(s) with a missing feature have none"
    say(
        f"Predicted {usable.sum()} row(s) of '{args.file}' with the {results['shared']} "
        f"({digest[:12]}...){missing if not usable.all() else ''}."
    )
    say(f"Wrote {_shown(target)}.")


def compare(args):
    """compare two results files: numbers within a tolerance"""
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
            f"'{args.second}' differs from '{args.first}' in {len(found)} place(s) (numbers by "
            f"more than {ABS_TOL:g}): {'; '.join(found[:3])}{more}. Find out why (another "
            "package version? changed data or settings?); if the change is meant, commit the new "
            "results.json."
        )
    say(
        f"'{args.second}' matches '{args.first}': numbers within {ABS_TOL:g}, everything else "
        "exactly (versions not compared)."
    )


def checksum(args):
    """record a data file's SHA-256 in the SHA256SUMS next to it"""
    from mlproject.data import MANIFEST, record_checksum

    path = Path(args.file)
    digest = record_checksum(path)
    say(f"{digest}  {path.name}  (recorded in {_shown(path.parent / MANIFEST)})")


def parser() -> argparse.ArgumentParser:
    """The command line's parser: one sub-command per function above."""
    main_parser = argparse.ArgumentParser(
        prog="python -m mlproject",
        description="Prepare, check, train, evaluate and apply the project's model reproducibly.",
    )
    main_parser.add_argument("--version", action="version", version=f"mlproject {__version__}")
    commands = main_parser.add_subparsers(dest="command", required=True)
    sub = {}
    for run in (prepare, validate, train, evaluate_test, predict, compare, checksum):
        name = run.__name__.replace("_", "-")
        sub[name] = commands.add_parser(name, help=run.__doc__)
        sub[name].set_defaults(run=run)
    for name in ("prepare", "validate", "train", "evaluate-test", "predict"):
        sub[name].add_argument("--config", default="config.toml", help="default: config.toml")
    sub["train"].add_argument("--out", help="the folder for the outputs (default: results/)")
    sub["evaluate-test"].add_argument("--again", action="store_true", help="look again (recorded)")
    sub["predict"].add_argument("file", help="a CSV file with the features")
    sub["predict"].add_argument("--out", help="default: results/FILE-predictions.csv")
    for name in ("evaluate-test", "predict"):
        sub[name].add_argument("--results", help="the folder `train` wrote (default: results/)")
    sub["compare"].add_argument("first")
    sub["compare"].add_argument("second")
    sub["checksum"].add_argument("file", help="the data file, e.g. data/raw/my-data.csv")
    return main_parser


def main(argv: list[str] | None = None) -> int:
    """Run one command; return the exit status (0: done, 1: a problem the user can fix)."""
    argv = sys.argv[1:] if argv is None else argv
    args = parser().parse_args(argv)
    args.argv = argv
    try:
        args.run(args)
    except ProjectError as error:
        say(f"error: {error}", file=sys.stderr)
        return 1
    return 0
