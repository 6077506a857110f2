"""``results/scores.png``: every model's fold scores, with its mean and interval.

Drawn from the results alone, with a fixed seed for the jitter and no date in the file, so
that two runs write the same bytes. :func:`alt_text` describes it for the model card.
"""

from pathlib import Path

import numpy as np

COLOURS = ("#0072B2", "#E69F00", "#009E73")  # Okabe-Ito: tell apart with any colour vision


def alt_text(results: dict) -> str:
    validation = results["validation"]
    means = "; ".join(
        f"{name} {s['mean']:.3f} ({s['interval'][0]:.3f} to {s['interval'][1]:.3f})"
        for name, s in results["scores"].items()
    )
    return (
        f"Dot plot of the {validation['metric']} of each of {validation['folds']} "
        "cross-validation folds for the model, the baseline and the dummy, with each mean and "
        f"its {validation['confidence']:.0%} interval as a black bar: {means}."
    )


def draw(results: dict, path: Path) -> None:
    """Draw the figure into ``path`` (PNG)."""
    from matplotlib.figure import Figure  # no pyplot: no window, no global state

    scores, validation = results["scores"], results["validation"]
    size = (6.4, 0.9 + 0.7 * len(scores))
    figure = Figure(figsize=size, facecolor="white", layout="constrained")
    axes = figure.add_subplot()
    jitter = np.random.default_rng(0)
    level = f"{validation['confidence']:.0%}"
    for row, s in enumerate(scores.values()):
        first = row == 0  # only the first row's marks go into the legend
        y = row + jitter.uniform(-0.12, 0.12, len(s["folds"]))
        colour = COLOURS[row % len(COLOURS)]
        axes.scatter(
            s["folds"], y, s=14, alpha=0.6, color=colour, label="one fold" if first else None
        )
        axes.plot(s["interval"], [row + 0.3] * 2, color="black", linewidth=2)
        label = f"mean, {level} interval" if first else None
        axes.plot(s["mean"], row + 0.3, "o", color="black", markersize=4, label=label)
    axes.set_yticks(range(len(scores)), list(scores))
    axes.set_ylim(len(scores) - 0.4, -0.5)
    axes.set_xlabel(f"{validation['metric']} (higher is better), {validation['folds']} folds")
    axes.legend(loc="best", fontsize=8, frameon=False)
    figure.savefig(path, dpi=120, metadata={"Software": None})
