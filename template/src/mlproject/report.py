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


def build_results(config: Config, data: Dataset, models: dict, splits: list, summary: dict, comparisons: dict) -> dict:
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
            "config": config.settings,
            "environment": versions(),
        }
    )


def write_json(data: dict, path: Path) -> None:
    """Write JSON the same way every time: fixed order, indentation and line endings."""
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    path.write_text(text, encoding="utf-8", newline="\n")


def run_info(seconds: float, argv: list[str]) -> dict:
    """The volatile facts of a run: kept out of results.json on purpose."""
    return {
        "finished_utc": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "duration_seconds": round(seconds, 1),
        "command": " ".join(["python -m mlproject", *argv]),
        "platform": platform.platform(),
        "cpu_count": os.cpu_count(),
    }


def _fmt(value: float) -> str:
    return f"{value:.3f}"


def which_model(results: dict) -> str:
    """Which model is shared, and whether its comparison with the baseline supports that."""
    # Clearly higher: the whole interval of the difference lies above zero.
    higher = results["comparisons"]["model - baseline"]["interval"][0] > 0
    if results["shared"] == "baseline" and higher:
        return (
            "Shared in model.skops: the baseline, although the model scores clearly higher. "
            "Give the reason in the description."
        )
    if results["shared"] == "baseline":
        return (
            "Shared in model.skops: the baseline. The model does not score clearly higher than "
            "this simpler model: report that it was no better on these data."
        )
    if higher:
        return "Shared in model.skops: the model, which scores clearly higher than the simpler baseline."
    return (
        "Shared in model.skops: the model, although it does not score clearly higher than the "
        'simpler baseline. Report that, and share the baseline ([model] share = "baseline" in '
        "config.toml) unless you have a reason to prefer the model; if you do, give it in the "
        "description."
    )


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
        "## Caveats and recommendations",
        "",
        which_model(results),
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
