"""One figure style for the whole lesson: readable in light and dark themes, colour-blind safe."""

from __future__ import annotations

#: Okabe & Ito's palette, distinguishable with the common forms of colour-vision deficiency.
PALETTE = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#F0E442",
    "#000000",
)


def use_lesson_style() -> None:
    """White figure backgrounds (legible on a dark page), larger text, the palette above."""
    import matplotlib as mpl
    from cycler import cycler

    mpl.rcParams.update(
        {
            "figure.facecolor": "white",
            "savefig.facecolor": "white",
            "axes.facecolor": "white",
            "figure.dpi": 100,
            "figure.figsize": (6.4, 3.6),
            "font.size": 11,
            "axes.titlesize": 12,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.prop_cycle": cycler(color=PALETTE),
            "svg.hashsalt": "lesson",  # deterministic SVG ids
        }
    )
