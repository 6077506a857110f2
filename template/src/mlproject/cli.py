"""The command line: ``python -m mlproject {validate,train,checksum}``.

Problems the user can fix (a :class:`~mlproject.errors.ProjectError`) are printed as one
short message on stderr, and the command exits with status 1. Anything else is a bug, and
keeps its traceback.
"""

from __future__ import annotations

import argparse
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
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def validate(args: argparse.Namespace) -> None:
    from mlproject.config import load_config
    from mlproject.data import load_dataset

    config = load_config(args.config)
    data = load_dataset(config)
    print(f"The data pass every check: '{config.data_file}' (SHA-256 {data.sha256[:12]}...).")
    print(f"{len(data.y)} rows used ({data.rows_dropped} dropped for missing values), {data.y.nunique()} classes.")


def train(args: argparse.Namespace) -> None:
    from sklearn.base import clone
    from threadpoolctl import threadpool_limits

    from mlproject.config import load_config
    from mlproject.data import load_dataset
    from mlproject.evaluate import make_splits, per_class_results, score_models, summarise
    from mlproject.model import make_models, save_model
    from mlproject.report import build_results, model_card, run_info, which_model, write_json

    started = time.perf_counter()
    config = load_config(args.config)
    data = load_dataset(config)
    models = make_models(config)
    splits = make_splits(config, data)
    # One thread for the numerical libraries: with more, the order in which numbers are added
    # depends on the machine's number of cores, and so can the last digits of the results.
    with threadpool_limits(limits=1):
        scores = score_models(models, data, splits, config.metric)
        final = clone(models[config.share]).fit(data.X, data.y)  # the model we share: all rows
        by_class = per_class_results(models[config.share], data, splits, config.n_splits)
    summary, comparisons = summarise(scores, splits, config.confidence)
    results = build_results(config, data, models, splits, summary, comparisons, by_class)

    out = Path(args.out) if args.out else config.folder / "results"
    out.mkdir(parents=True, exist_ok=True)
    save_model(final, out / "model.skops")
    write_json(results, out / "results.json")
    (out / "model-card.md").write_text(model_card(results, config), encoding="utf-8", newline="\n")
    write_json(run_info(time.perf_counter() - started, args.argv, config.folder), out / "run-info.json")

    level = f"{config.confidence:.0%}"
    print(f"Data: '{config.data_file}', {len(data.y)} rows, {len(splits)} folds ({config.scheme}).")
    print(f"{config.metric}, mean over folds ({level} interval):")
    for name, s in summary.items():
        print(f"  {name:<17} {s['mean']:6.3f}  ({s['interval'][0]:.3f} to {s['interval'][1]:.3f})")
    for name, c in comparisons.items():
        low, high = c["interval"]
        print(f"  {name:<17} {c['mean']:+6.3f}  ({low:+.3f} to {high:+.3f})  {c['verdict']}")
    print(_wrap(which_model(results)))
    print(f"Wrote model.skops, model-card.md, results.json and run-info.json to {_shown(out)}/.")


def checksum(args: argparse.Namespace) -> None:
    from mlproject.data import MANIFEST, record_checksum

    path = Path(args.file)
    digest = record_checksum(path)
    print(f"{digest}  {path.name}  (recorded in {_shown(path.parent / MANIFEST)})")


def parser() -> argparse.ArgumentParser:
    main_parser = argparse.ArgumentParser(
        prog="python -m mlproject", description="Train and evaluate the project's model reproducibly."
    )
    main_parser.add_argument("--version", action="version", version=f"mlproject {__version__}")
    commands = main_parser.add_subparsers(dest="command", required=True)

    check = commands.add_parser("validate", help="check the data against config.toml, and stop")
    check.add_argument("--config", default="config.toml", help="the config file (default: config.toml)")
    check.set_defaults(run=validate)

    run = commands.add_parser("train", help="cross-validate, compare with baselines, save model and reports")
    run.add_argument("--config", default="config.toml", help="the config file (default: config.toml)")
    run.add_argument("--out", help="folder for the outputs (default: results/ next to the config file)")
    run.set_defaults(run=train)

    record = commands.add_parser("checksum", help="record a data file's SHA-256 in the SHA256SUMS next to it")
    record.add_argument("file", help="the data file, e.g. data/my-data.csv")
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
