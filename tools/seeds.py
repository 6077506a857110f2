"""The seed sweep: how often does each claim of the lesson hold?

    python -m tools.seeds            # sweep the notebooks whose code changed since the record
    python -m tools.seeds --all      # sweep every notebook
    python -m tools.seeds NOTEBOOK   # sweep these notebooks

Every notebook states its episode's claims with ``lessonkit.claim`` (src/lessonkit/claims.py).
A claim is about the method, not about one draw: it must hold whatever ``LESSON_SEED`` a
learner tries. The sweep runs every notebook at seeds 0-19 (``config.SWEEP_SEEDS``), as a
learner would (a claim that does not hold prints a line and the notebook goes on), with
``LESSON_CLAIMS`` set so that every claim, held or not, is recorded. The result goes into
``instructors/seed-sweep.json`` (one entry per notebook: the fingerprint of its code, the
date, the machine, at how many seeds each claim held and how many runs reached the end) and,
rendered, into the Execution statistics page. The lesson check ``check_seed_record`` (`make
records`, in `make test`) fails when a record is missing or older than its notebook's code,
or when a claim held at fewer than 20 of 20 seeds.

A notebook's fingerprint covers its code cells (the set-up cell aside), the lesson's pinned
packages and the data's checksums: editing one notebook re-sweeps that one.

Two runs at a time; about 20 minutes for the whole lesson on 2 cores.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

from tools import config, notebooks

RECORD = Path("instructors") / "seed-sweep.json"
MARKERS = (
    "<!-- seed-sweep: start (python -m tools.seeds writes this section) -->",
    "<!-- seed-sweep: end -->",
)


def fingerprint(path: Path, root: Path = config.ROOT) -> str:
    """What the notebook's claims depend on: its code (but the set-up cell), the lesson's
    pinned packages and the data's checksums."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    digest = hashlib.sha256()
    for cell in nb.cells:
        if cell.cell_type == "code" and config.SETUP not in cell.metadata.get(
            "tags", []
        ):
            digest.update(cell.source.encode() + b"\0")
    digest.update(_pins_text(root).encode())
    digest.update((root / "data" / "SHA256SUMS").read_bytes())
    return digest.hexdigest()[:16]


def _pins_text(root: Path) -> str:
    import tomllib

    project = tomllib.loads(
        (root / "pyproject.toml").read_text(encoding="utf-8")
    )["project"]
    return "\n".join(sorted(project["dependencies"]))


def fresh_seed(root: Path = config.ROOT) -> int:
    """A seed outside the sweep's, different for every commit (the tests' learner run)."""
    done = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True
    )
    text = (
        done.stdout.strip()
        if done.returncode == 0
        else date.today().isoformat()
    )
    return (
        len(config.SWEEP_SEEDS)
        + int(hashlib.sha256(text.encode()).hexdigest()[:8], 16) % 100_000
    )


def run_notebook(
    path: Path,
    seed: int,
    *,
    strict: bool,
    claims: Path | None = None,
    cwd: Path | None = None,
):
    """Execute a notebook (not in place) at ``seed``, in a kernel of its environment, as a
    learner (``strict=False``: claims that do not hold print a line) or as the tests
    (``strict=True``: they raise). Returns None, or the error of the cell that stopped it."""
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    nb = nbformat.read(path, as_version=4)
    saved = {
        key: os.environ.get(key)
        for key in ("LESSON_SEED", "LESSON_STRICT", "LESSON_CLAIMS")
    }
    os.environ.update(
        LESSON_SEED=str(seed), LESSON_STRICT="1" if strict else "0"
    )
    if claims is not None:
        os.environ["LESSON_CLAIMS"] = str(claims)
    else:
        os.environ.pop("LESSON_CLAIMS", None)
    try:  # the kernel inherits this process's environment when it starts
        client = NotebookClient(
            nb,
            timeout=600,
            kernel_name=notebooks.kernel_for(path),
            resources={"metadata": {"path": str(cwd or path.parent)}},
        )
        client.execute()
    except CellExecutionError as error:
        return str(error)
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    return None


def _sweep_one(path: Path, seed: int, folder: Path) -> dict:
    claims = folder / f"{path.stem}-{seed}.jsonl"
    start = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "tools.seeds",
            "_run",
            str(path),
            str(seed),
            str(claims),
        ],
        cwd=config.ROOT,
        capture_output=True,
        text=True,
    )
    error = (
        None if done.returncode == 0 else (done.stdout + done.stderr)[-2000:]
    )
    entries = (
        [json.loads(line) for line in claims.read_text().splitlines()]
        if claims.is_file()
        else []
    )
    return {
        "notebook": path.name,
        "seed": seed,
        "error": error,
        "claims": entries,
        "seconds": time.perf_counter() - start,
    }


def summarise(path: Path, runs: list[dict], root: Path = config.ROOT) -> dict:
    """One notebook's record from its runs: at how many seeds each claim held."""
    seeds = sorted(run["seed"] for run in runs)
    held: dict[str, int] = {}
    order: list[str] = []
    for run in sorted(runs, key=lambda r: r["seed"]):
        outcome: dict[str, bool] = {}
        for entry in run["claims"]:
            outcome[entry["claim"]] = (
                outcome.get(entry["claim"], True) and entry["held"]
            )
        for claim, ok in outcome.items():
            if claim not in held:
                held[claim] = 0
                order.append(claim)
            held[claim] += ok
    stopped = [
        f"seed {run['seed']}: {run['error'].strip().splitlines()[-1]}"
        for run in runs
        if run["error"]
    ]
    return {
        "fingerprint": fingerprint(path, root),
        "date": date.today().isoformat(),
        "machine": notebooks.machine(),
        "python": ".".join(map(str, sys.version_info[:3])),
        "seeds": seeds,
        "reached_end": len(runs) - len(stopped),
        "stopped": stopped,
        "claims": {claim: held[claim] for claim in order},
        "seconds_per_run": round(
            sum(run["seconds"] for run in runs) / max(len(runs), 1), 1
        ),
    }


def load(root: Path = config.ROOT) -> dict:
    path = root / RECORD
    return (
        json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    )


def render(record: dict) -> str:
    """The statistics page's section: a table per notebook and, in a dropdown, each claim."""
    lines = [
        f"Each notebook ran at seeds {config.SWEEP_SEEDS.start}-{config.SWEEP_SEEDS.stop - 1} as a "
        "learner runs it, every claim recorded (`make seeds`). A claim is a sentence of an "
        "episode about the numbers; it must hold at every seed.",
        "",
        "| notebook | claims | held at every seed | runs that reached the end | swept | code fingerprint |",
        "|:--|--:|--:|--:|:--|:--|",
    ]
    for name, entry in sorted(record.items()):
        n = len(entry["seeds"])
        always = sum(count == n for count in entry["claims"].values())
        lines.append(
            f"| {name} | {len(entry['claims'])} | {always} | {entry['reached_end']}/{n} | "
            f"{entry['date']}, {entry['machine']}, Python {entry['python']} | `{entry['fingerprint']}` |"
        )
    for name, entry in sorted(record.items()):
        n = len(entry["seeds"])
        lines += [
            "",
            f":::{{dropdown}} {name}: the claims, and at how many of {n} seeds each held",
            "",
            "| claim | held at |",
            "|:--|--:|",
        ]
        for claim, count in entry["claims"].items():
            lines.append(f"| {claim.replace('|', '/')} | {count}/{n} |")
        lines.append(":::")
    return "\n".join(lines)


def write(record: dict, root: Path = config.ROOT) -> None:
    # Notebooks in name order; each notebook's claims in the order the notebook states them
    # (not sorted: the page lists them as the episode reads, and reads them back in that order).
    (root / RECORD).write_text(
        json.dumps(dict(sorted(record.items())), indent=1, ensure_ascii=False)
        + "\n",
        encoding="utf-8",
    )
    notebooks.record_table(MARKERS, render(record), root)


def problems(root: Path = config.ROOT) -> list[str]:
    """What the record says is wrong: missing or stale records, claims that did not hold at
    every seed, runs that stopped, a page that does not show the record."""
    record = load(root)
    fix = "run `make seeds`"
    found = []
    paths = notebooks.lesson_notebooks(root)
    for path in paths:
        entry = record.get(path.name)
        if entry is None:
            found.append(f"{RECORD}: no seed sweep for {path.name}: {fix}")
            continue
        if entry["fingerprint"] != fingerprint(path, root):
            found.append(
                f"{RECORD}: the sweep of {path.name} is older than its code: {fix}"
            )
            continue
        if entry["seeds"] != list(config.SWEEP_SEEDS):
            found.append(
                f"{RECORD}: {path.name} was swept at seeds {entry['seeds']}, not {list(config.SWEEP_SEEDS)}: {fix} ALL=1"
            )
        for stop in entry["stopped"]:
            found.append(f"notebooks/{path.name} stopped at {stop}")
        n = len(entry["seeds"])
        for claim, count in entry["claims"].items():
            if count < n:
                found.append(
                    f"notebooks/{path.name}: claim held at {count} of {n} seeds: {claim!r}; state it about "
                    "the distribution, computed over repeats in the notebook, so that it holds at every seed"
                )
        if not entry["claims"]:
            found.append(
                f"notebooks/{path.name} states no claim (lessonkit.claim)"
            )
    for name in sorted(set(record) - {path.name for path in paths}):
        found.append(
            f"{RECORD}: a record for {name}, which is not in notebooks/: {fix}"
        )
    page = (root / config.STATS_PAGE).read_text(encoding="utf-8")
    if MARKERS[0] not in page or render(record) not in page:
        found.append(f"{config.STATS_PAGE} does not show {RECORD}: {fix}")
    return found


def sweep(paths: list[Path], jobs: int = 2, root: Path = config.ROOT) -> dict:
    record = load(root)
    with tempfile.TemporaryDirectory(prefix="lesson-seeds-") as tmp:
        todo = [(path, seed) for path in paths for seed in config.SWEEP_SEEDS]
        print(
            f"{len(todo)} runs ({len(paths)} notebooks x {len(config.SWEEP_SEEDS)} seeds), {jobs} at a time"
        )
        with ThreadPoolExecutor(
            max_workers=jobs
        ) as pool:  # each run is a process of its own
            runs = list(
                pool.map(lambda job: _sweep_one(*job, Path(tmp)), todo)
            )
    for path in paths:
        mine = [run for run in runs if run["notebook"] == path.name]
        record[path.name] = entry = summarise(path, mine, root)
        n = len(entry["seeds"])
        short = [
            f"{count}/{n} {claim}"
            for claim, count in entry["claims"].items()
            if count < n
        ]
        print(
            f"{path.name}: {len(entry['claims'])} claims, {len(short)} below {n}/{n}; "
            f"{entry['reached_end']}/{n} runs reached the end; {entry['seconds_per_run']} s per run"
        )
        for line in short + entry["stopped"]:
            print(f"    {line}")
    write(record, root)
    return record


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "notebooks",
        nargs="*",
        help="notebooks to sweep (default: those whose code changed)",
    )
    parser.add_argument(
        "--all", action="store_true", help="sweep every notebook"
    )
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args(argv)
    if args.notebooks[:1] == [
        "_run"
    ]:  # one run, in a process of its own (used by the sweep)
        path, seed, claims = (
            Path(args.notebooks[1]),
            int(args.notebooks[2]),
            Path(args.notebooks[3]),
        )
        error = run_notebook(path, seed, strict=False, claims=claims)
        if error:
            print(error)
        return 1 if error else 0
    record = load()
    if args.notebooks:
        paths = [Path(name).resolve() for name in args.notebooks]
    elif args.all:
        paths = notebooks.lesson_notebooks()
    else:
        paths = [
            path
            for path in notebooks.lesson_notebooks()
            if record.get(path.name, {}).get("fingerprint")
            != fingerprint(path)
        ]
    if not paths:
        print("Every notebook's sweep is current.")
        write(record)
        return 0
    sweep(paths, args.jobs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
