"""What a training run writes, besides the model file.

* ``results.json``: every number of the run, the settings that produced it, the data's
  checksum and the package versions. Nothing in it changes between two runs in the same
  environment (no dates, no paths), so two runs give byte-identical files, and a changed
  file always means a changed result;
* ``model-card.md``: the same facts for people, under some of the headings that Mitchell et
  al. (2019), "Model cards for model reporting", propose;
* ``run-info.json``: what does change between runs (when, on which machine, how long).
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

from mlproject.config import Config
from mlproject.data import Dataset

#: The packages whose versions can change the numbers.
PACKAGES = ("numpy", "scipy", "pandas", "scikit-learn", "pandera", "skops")
DIGITS = 6  # numbers in results.json are rounded: the last digits are numerical noise


def versions() -> dict[str, str]:
    found = {"python": platform.python_version()}
    for package in PACKAGES:
        try:
            found[package] = metadata.version(package)
        except metadata.PackageNotFoundError:
            found[package] = "not installed"
    return found


def describe(estimator) -> str:
    """A one-line description of an estimator with its non-default settings."""
    steps = getattr(estimator, "steps", None)
    if steps:  # a pipeline: its steps, in order
        return " -> ".join(describe(step) for _, step in steps)
    return " ".join(repr(estimator).split())


def _rounded(value):
    if isinstance(value, float):
        return round(value, DIGITS)
    if isinstance(value, dict):
        return {key: _rounded(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_rounded(item) for item in value]
    return value


def build_results(
    config: Config, data: Dataset, models: dict, splits: list, summary: dict, comparisons: dict,
    per_class: dict | None = None,
) -> dict:
    """Everything a reader needs to check or repeat the run, as plain data."""
    classes = data.y.value_counts().sort_index()
    return _rounded(
        {
            "project": config.name,
            "data": {
                "file": config.data_file,
                "sha256": data.sha256,
                "rows_read": data.rows_read,
                "rows_dropped_missing_values": data.rows_dropped,
                "rows_used": len(data.y),
                "target": config.target,
                "features": config.features,
                "classes": {str(label): int(n) for label, n in classes.items()},
                "groups": None if data.groups is None else int(data.groups.nunique()),
            },
            "validation": {
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


def write_json(data: dict, path: Path) -> None:
    """Write JSON the same way every time: fixed order, indentation and line endings."""
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8", newline="\n")


def code_version(folder: Path, config_name: str = "config.toml") -> dict:
    """Which version of the code produced a run: the git commit, and whether the project had
    changes that were not committed (then the commit alone does not say what ran)."""

    def git(*args):
        return subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, timeout=60)

    try:
        head = git("rev-parse", "HEAD")
    except (OSError, subprocess.SubprocessError):
        return {"git_commit": None, "note": "git is not installed: the code version is not recorded"}
    if head.returncode != 0:
        return {"git_commit": None, "note": "not a git repository (or no commit yet): the code version is not recorded"}
    if git("check-ignore", "--quiet", config_name).returncode == 0:
        return {"git_commit": None, "note": "the project folder is ignored by the git repository around it: the code version is not recorded"}
    # Only this project's folder; results/ is ignored by .gitignore.
    status = git("status", "--porcelain", "--untracked-files=all", "--", ".")
    return {"git_commit": head.stdout.strip(), "uncommitted_changes": bool(status.stdout.strip())}


def run_info(seconds: float, argv: list[str], folder: Path | None = None) -> dict:
    """The volatile facts of a run: kept out of results.json on purpose."""
    return {
        "finished_utc": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "duration_seconds": round(seconds, 1),
        "command": " ".join(["python -m mlproject", *argv]),
        "code": code_version(folder or Path.cwd()),
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
    }


def _fmt(value: float) -> str:
    return f"{value:.3f}"


def which_model(results: dict) -> str:
    """Which model is shared, and whether its comparison with the baseline supports that."""
    comparison = results["comparisons"]["model - baseline"]
    low, high = comparison["interval"]
    # Clearly higher: the whole interval of the difference lies above zero.
    higher = low > 0
    # The difference and its interval, so that a reader sees how much "not clearly" allows.
    difference = f"difference {comparison.get('mean', (low + high) / 2):+.3f} ({low:+.3f} to {high:+.3f})"
    if results["shared"] == "baseline" and higher:
        return (
            "Shared in model.skops: the baseline, although the model scores clearly higher. "
            "Give the reason in the description."
        )
    if results["shared"] == "baseline":
        return (
            "Shared in model.skops: the baseline. The model is not clearly better than this "
            f"simpler model: {difference}. Report that difference and its interval, not "
            "\"no better\": an interval this wide may hide a real difference either way."
        )
    if higher:
        return f"Shared in model.skops: the model, which scores clearly higher than the simpler baseline: {difference}."
    return (
        "Shared in model.skops: the model, although it is not clearly better than the "
        f'simpler baseline: {difference}. Report that, and share the baseline ([model] share = "baseline" in '
        "config.toml) unless you have a reason to prefer the model; if you do, give it in the "
        "description."
    )


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
        lines.append(f"| {label} | {_fmt(found['recall'][label])} | " + " | ".join(str(n) for n in row) + " |")
    return [*lines, ""]


def model_card(results: dict, config: Config) -> str:
    """A Markdown model card built from the results (so it can never disagree with them)."""
    project = config.settings.get("project", {})
    data, validation = results["data"], results["validation"]
    level = f"{validation['confidence']:.0%}"
    rows = [
        f"| {name} | `{results['models'][name]}` | {_fmt(s['mean'])} | "
        f"{_fmt(s['interval'][0])} to {_fmt(s['interval'][1])} | {_fmt(s['std_over_folds'])} |"
        for name, s in results["scores"].items()
    ]
    differences = [
        f"| {name} | {_fmt(c['mean'])} | {_fmt(c['interval'][0])} to {_fmt(c['interval'][1])} | {c['verdict']} |"
        for name, c in results["comparisons"].items()
    ]
    classes = ", ".join(f"{label}: {n}" for label, n in data["classes"].items())
    scheme = f"{validation['scheme']}, {validation['n_splits']} splits, {validation['n_repeats']} repeat(s)"
    if validation["group"]:
        scheme += f", grouped by '{validation['group']}' ({data['groups']} groups)"
    environment = ", ".join(f"{name} {version}" for name, version in results["environment"].items())
    lines = [
        f"# Model card: {project.get('title', config.name)}",
        "",
        "## Model details",
        "",
        f"- Project: `{config.name}`; authors: {', '.join(project.get('authors', [])) or 'not given'}.",
        f"- Model shared: the {results['shared']}, `{results['models'][results['shared']]}`, "
        "fitted on all rows and saved as `model.skops`.",
        f"- Software: {environment}.",
        "",
        str(project.get("description", "")).strip(),
        "",
        "## Intended use",
        "",
        str(project.get("intended_use", "Not stated.")).strip(),
        "",
        "## Training and evaluation data",
        "",
        f"- File `{data['file']}`, SHA-256 `{data['sha256']}` (see the datasheet in `data/README.md`).",
        f"- {data['rows_used']} of {data['rows_read']} rows used; {data['rows_dropped_missing_values']} "
        "dropped for missing values.",
        f"- Target `{data['target']}` with classes {classes}.",
        f"- Features: {', '.join(f'`{f}`' for f in data['features'])}.",
        "",
        "## Metrics and quantitative analyses",
        "",
        f"Cross-validation: {scheme} ({validation['folds']} folds), seed {config.split_seed}. "
        f"Metric: `{validation['metric']}`. Intervals: {level}, {validation['interval_method']}.",
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
        *_per_class_lines(results),
        "## Caveats and recommendations",
        "",
        which_model(results),
        "",
        "These scores come from the same data that were used to choose the settings in",
        "`config.toml`. If the settings were changed after seeing scores (more trees, another",
        "metric, other seeds), the best of those runs is optimistic: say how many were tried,",
        "and confirm the final choice on data that took no part in it.",
        "",
        str(project.get("limitations", "Not stated.")).strip(),
        "",
        "## How to use the model",
        "",
        "```python",
        "from mlproject.model import load_model",
        "",
        'model = load_model("results/model.skops")  # checks the types in the file first',
        "predictions = model.predict(new_data[FEATURES])",
        "```",
        "",
        f"where `FEATURES = {data['features']!r}`.",
        "",
    ]
    return "\n".join(lines)
