"""What a training run writes, besides the model file and the figure.

* ``results.json``: every number of the run, with the settings, the data's checksums, the looks
  at the test set and the package versions; no date, no path: two runs give identical files;
* ``model-card.md``: the same for people, under headings from Mitchell et al. (2019), "Model
  cards for model reporting";
* ``run-info.json``: what changes between runs (when, on which machine, how long).
"""

import json
import os
import platform
import subprocess
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path

from mlproject import __version__
from mlproject.config import Config
from mlproject.evaluate import summarise
from mlproject.figure import alt_text
from mlproject.holdout import settings_sha256

#: The packages whose versions can change the numbers.
PACKAGES = ("numpy", "scipy", "pandas", "scikit-learn", "pandera", "skops", "matplotlib")
DIGITS = 6  # numbers in results.json are rounded: the last digits are numerical noise


def versions() -> dict[str, str]:
    """The versions of Python and of PACKAGES."""
    return {"python": platform.python_version()} | {p: metadata.version(p) for p in PACKAGES}


def describe(estimator) -> str:
    """A one-line description of an estimator (the steps of a pipeline, in order)."""
    if hasattr(estimator, "steps"):
        return " -> ".join(describe(step) for _, step in estimator.steps)
    return " ".join(repr(estimator).split())


def rounded(value):
    """A copy of the value with every float rounded to DIGITS decimals."""
    if isinstance(value, float):
        return round(value, DIGITS)
    if isinstance(value, dict):
        return {key: rounded(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [rounded(item) for item in value]
    return value


def build_results(config, data, development, test, models, splits, scores, per_class) -> dict:
    """Everything a reader needs to check or repeat the run, as plain data: the data and the
    development rows (Datasets), the test set (holdout.record, with every look at it so far),
    the models, the folds and each model's fold scores, and the results for each class."""
    summary, comparisons = summarise(scores, splits, config.confidence)
    if config.classification:
        counts = data.y.value_counts().sort_index()
        target = {"classes": {str(label): int(n) for label, n in counts.items()}}
    else:
        y = data.y.astype(float)
        target = {"summary": {"mean": y.mean(), "sd": y.std(), "min": y.min(), "max": y.max()}}
    results = rounded(
        {
            "project": config.name,
            "task": config.task,
            "data": {
                "raw": {"file": config.raw, "sha256": data.raw_sha256},
                "processed": {"file": config.processed, "sha256": data.sha256},
                "rows_read": data.rows_read,
                "rows_dropped_missing_values": data.rows_dropped,
                "duplicated_rows_kept": data.duplicates,
                "rows_used": len(data.y),
                "target": config.target,
                **target,
                "features": config.features,
                "groups": None if data.groups is None else int(data.groups.nunique()),
            },
            "test_set": test,
            "validation": {
                "rows": len(development.y),
                "scheme": config.scheme,
                "group": config.group,
                "n_splits": config.n_splits,
                "n_repeats": config.n_repeats,
                "folds": len(splits),
                "metric": config.metric,
                "confidence": config.confidence,
                "interval_method": "Student t with Nadeau-Bengio corrected variance",
            },
            "models": {name: describe(estimator) for name, estimator in models.items()},
            "shared": config.share,
            "scores": summary,
            "comparisons": comparisons,
            "per_class": per_class,
            "config": config.settings,
            "environment": versions(),
        }
    )
    results["conclusions"] = [against_dummy(results), which_model(results)]
    return results


def write_json(data: dict, path: Path) -> None:
    """Write JSON the same way every time: fixed order, indentation and line endings."""
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8", newline="\n")


def code_version(folder: Path, config_name: str = "config.toml") -> dict:
    """Which version of the code produced a run: the git commit, and whether the project had
    changes that were not committed (then the commit alone does not say what ran)."""

    def git(*args):
        return subprocess.run(
            ["git", *args], cwd=folder, capture_output=True, text=True, timeout=60
        )

    unknown = ": the code version is not recorded"
    try:
        head = git("rev-parse", "HEAD")
    except (OSError, subprocess.SubprocessError):
        return {"git_commit": None, "note": "git is not installed" + unknown}
    if head.returncode != 0:
        return {"git_commit": None, "note": "not a git repository (or no commit yet)" + unknown}
    if git("check-ignore", "--quiet", config_name).returncode == 0:
        note = "the project folder is ignored by the git repository around it"
        return {"git_commit": None, "note": note + unknown}
    # Only this project's folder; results/ is ignored by .gitignore.
    status = git("status", "--porcelain", "--untracked-files=all", "--", ".")
    return {"git_commit": head.stdout.strip(), "uncommitted_changes": bool(status.stdout.strip())}


def code_label(folder: Path) -> str:
    """The code version in one line, for predictions and the test-set log."""
    code = code_version(folder)
    if code["git_commit"] is None:
        return f"mlproject {__version__}, no git commit recorded"
    changes = " with uncommitted changes" if code["uncommitted_changes"] else ""
    return f"mlproject {__version__}, git {code['git_commit']}{changes}"


def run_info(seconds: float, argv: list[str], folder: Path) -> dict:
    """The volatile facts of a run: kept out of results.json on purpose."""
    return {
        "finished_utc": datetime.now(UTC).isoformat(timespec="seconds"),
        "duration_seconds": round(seconds, 1),
        "command": " ".join(["python -m mlproject", *argv]),
        "code": code_version(folder),
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
    }


# ------------------------------------------------------------------------ results in words
def _difference(comparison: dict) -> str:
    low, high = comparison["interval"]
    mean = comparison.get("mean", (low + high) / 2)
    return f"difference {mean:+.3f} ({low:+.3f} to {high:+.3f})"


def against_dummy(results: dict) -> str:
    """Whether the model learnt anything from the features. Not clearly better than the dummy
    is a result to report, not a failure of the code."""
    comparison = results["comparisons"]["model - dummy"]
    if comparison["interval"][0] > 0:
        return (
            "The model scores clearly better than the dummy, which ignores the features: "
            f"{_difference(comparison)}."
        )
    return (
        "The model is not clearly better than the dummy, which ignores the features: "
        f"{_difference(comparison)}. That is a result, not a failure: report it. The features, "
        "as measured here, may not predict the target, or there may be too few rows to tell."
    )


def which_model(results: dict) -> str:
    """Which model is shared, and whether its comparison with the baseline supports that:
    clearly better or worse means the whole interval on one side of zero."""
    comparison = results["comparisons"]["model - baseline"]
    low, high = comparison["interval"]
    difference, shared = _difference(comparison), "Shared in model.skops: the"
    if results["shared"] == "baseline" and low > 0:
        return f"{shared} baseline, although the model scores clearly better. Give the reason."
    if results["shared"] == "baseline" and high < 0:
        return f"{shared} baseline, which scores clearly better than the model: {difference}."
    if results["shared"] == "baseline":
        return (
            f"{shared} baseline. The model is not clearly better than this simpler model: "
            f'{difference}. Report that difference and its interval, not "no better": an '
            "interval this wide may hide a real difference either way."
        )
    if low > 0:
        return (
            f"{shared} model, which scores clearly better than the simpler baseline: {difference}."
        )
    return (
        f"{shared} model, although it is "
        f"{'clearly worse than' if high < 0 else 'not clearly better than'} the simpler "
        f'baseline: {difference}. Report that, and share the baseline ([model] share = "baseline" '
        "in config.toml) unless you have a reason to prefer the model; if you do, give it in the "
        "description."
    )


def holdout_text(results: dict, config: Config) -> str:
    """The test set in words: its size, every look at it, and what changed since."""
    test = results["test_set"]
    if test is None:
        return (
            "No test set ([validation] test_fraction = 0): every score above comes from rows "
            "that were also used to choose the settings. Confirm the final choice on data kept "
            "apart from the start."
        )
    looks = test["looks"]
    text = [
        f"Test set: {test['rows']} rows"
        + (f" ({test['groups']} groups)" if test["groups"] else "")
        + f", {test['fraction']:g} of the data, drawn with [seeds] test = {test['seed']} and "
        "locked away: no cross-validation, comparison or training used them."
    ]
    if not looks:
        text.append(
            "Nobody has looked at them yet: when the settings are final, score the shared model "
            "on them once, with `python -m mlproject evaluate-test`."
        )
    level = f"{results['validation']['confidence']:.0%}"
    for look in looks:
        low, high = look["interval"]
        text.append(
            f"Look {look['look']}: {look['metric']} {look['score']:.3f} ({level} bootstrap "
            f"interval {low:.3f} to {high:.3f}) for the {look['shared']}, model file "
            f"{look['model_sha256'][:12]}."
        )
    if len(looks) > 1:
        text.append(
            f"The test set has been looked at {len(looks)} times: only the first look is an "
            "unbiased estimate. Report every look, not the best."
        )
    if looks and looks[-1]["settings_sha256"] != settings_sha256(config):
        text.append(
            "The settings in config.toml have changed since the last look: they were chosen "
            "knowing the test score, which can no longer confirm them."
        )
    if any(look["test_set"] != test["fingerprint"] for look in looks):
        text.append(
            "The test set has changed since an earlier look (other data, test_fraction or "
            "[seeds] test): earlier test rows may now be development rows."
        )
    return " ".join(text)


# ------------------------------------------------------------------------------ model card
def _per_class_lines(results: dict) -> list[str]:
    """The shared model's results for each class (Mitchell et al. ask for disaggregated results)."""
    found = results.get("per_class")
    if not found:
        return []
    classes = found["classes"]
    lines = [
        f"Results for each class, for the shared model ({results['shared']}): predictions for",
        f"{found['folds']}. Recall is the share of each class predicted correctly; the",
        "confusion matrix has one row per true class and one column per predicted class.",
        "",
        "| True class | Recall | " + " | ".join(f"predicted {c}" for c in classes) + " |",
        "|:--|--:|" + "--:|" * len(classes),
    ]
    for label, row in zip(classes, found["confusion_matrix"]):
        counts = " | ".join(map(str, row))
        lines.append(f"| {label} | {found['recall'][label]:.3f} | {counts} |")
    return [*lines, ""]


def section(title: str) -> list[str]:
    """The lines that start a section of the model card."""
    return ["", f"## {title}", ""]


def model_card(results: dict, config: Config) -> str:
    """A Markdown model card built from the results (so it can never disagree with them)."""
    project = config.settings.get("project", {})
    data, validation = results["data"], results["validation"]
    level = f"{validation['confidence']:.0%}"
    rows = [
        f"| {name} | `{results['models'][name]}` | {s['mean']:.3f} | "
        f"{s['interval'][0]:.3f} to {s['interval'][1]:.3f} | {s['std_over_folds']:.3f} |"
        for name, s in results["scores"].items()
    ]
    differences = [
        f"| {name} | {c['mean']:.3f} | {c['interval'][0]:.3f} to {c['interval'][1]:.3f} | "
        f"{c['verdict']} |"
        for name, c in results["comparisons"].items()
    ]
    if "classes" in data:
        target = "classes " + ", ".join(f"{label}: {n}" for label, n in data["classes"].items())
    else:
        s = data["summary"]
        target = f"mean {s['mean']:.4g}, SD {s['sd']:.4g}, from {s['min']:.4g} to {s['max']:.4g}"
    scheme = f"{validation['scheme']}, {validation['n_splits']} splits, "
    scheme += f"{validation['n_repeats']} repeat(s)"
    if validation["group"]:
        scheme += f", grouped by '{validation['group']}'"
    kept = data["duplicated_rows_kept"]
    duplicates = f"; {kept} duplicated rows kept ([data] allow_duplicates)" if kept else ""
    environment = ", ".join(f"{name} {version}" for name, version in results["environment"].items())
    negated = " Errors are negated (neg_...): higher is better."
    negated = negated if validation["metric"].startswith("neg_") else ""
    authors = ", ".join(project.get("authors", [])) or "not given"
    raw, processed = data["raw"], data["processed"]
    card = [
        f"# Model card: {project.get('title', config.name)}",
        *section("Model details"),
        f"- Project: `{config.name}` ({results['task']}); authors: {authors}.",
        f"- Model shared: the {results['shared']}, `{results['models'][results['shared']]}`, "
        "fitted on the development rows and saved as `model.skops` (its checksum is in "
        "`SHA256SUMS`).",
        f"- Software: {environment}.",
        "",
        str(project.get("description", "")).strip(),
        *section("Intended use"),
        str(project.get("intended_use", "Not stated.")).strip(),
        *section("Training and evaluation data"),
        f"- Raw data `{raw['file']}`, SHA-256 `{raw['sha256']}` (see the datasheet in "
        f"`data/README.md`); processed by `src/mlproject/prepare.py` into `{processed['file']}`, "
        f"SHA-256 `{processed['sha256']}`.",
        f"- {data['rows_used']} of {data['rows_read']} rows used; "
        f"{data['rows_dropped_missing_values']} dropped for missing values{duplicates}. "
        f"{validation['rows']} development rows; the others form the test set.",
        f"- Target `{data['target']}`: {target}.",
        f"- Features: {', '.join(f'`{f}`' for f in data['features'])}.",
        *section("Metrics and quantitative analyses"),
        f"Cross-validation on the development rows: {scheme} ({validation['folds']} folds), seed "
        f"{config.split_seed}. Metric: `{validation['metric']}`.{negated} Intervals: {level}, "
        f"{validation['interval_method']}.",
        "",
        f"| Model | Estimator | Mean | {level} interval | Spread over folds (SD) |",
        "|:--|:--|--:|--:|--:|",
        *rows,
        "",
        "| Difference | Mean | Interval | In words |",
        "|:--|--:|--:|:--|",
        *differences,
        "",
        "The intervals allow for the overlap between training sets (Nadeau & Bengio 2003). They",
        "are approximate: an end beyond the metric's range (such as above 1) only says that the",
        "scores are close to that limit.",
        "",
        f"![{alt_text(results)}](scores.png)",
        "",
        *_per_class_lines(results),
        holdout_text(results, config),
        *section("Caveats and recommendations"),
        *[f"{sentence}\n" for sentence in results["conclusions"]],
        "Every `train` scores on the same development rows. If the settings in `config.toml` were",
        "changed after seeing scores (more trees, another metric, other seeds), the best of those",
        "runs is optimistic: say how many were tried. The test set, looked at once, is the check.",
        "",
        str(project.get("limitations", "Not stated.")).strip(),
        *section("How to use the model"),
        "`python -m mlproject predict NEW-DATA.csv` checks the new data against the same schema",
        "and ranges, refuses a model file whose checksum differs from the recorded one, and writes",
        "the predictions with the model's checksum and the code version. In Python:",
        "",
        "```python",
        "from mlproject.model import load_model",
        "",
        'model, checksum = load_model("results/model.skops")  # checks the checksum and the types',
        "predictions = model.predict(new_data[FEATURES])",
        "```",
        "",
        f"where `FEATURES = {data['features']!r}`.",
        "",
    ]
    return "\n".join(card)
