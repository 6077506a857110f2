"""``glue`` from myst-nb when it is installed (building the site), a no-op otherwise.

Notebooks glue numbers and figures so that the episode pages quote them; in Google Colab,
where myst-nb is not installed, gluing is simply skipped.
"""

from __future__ import annotations

from typing import Any

try:
    from myst_nb import glue as _glue
except ImportError:  # pragma: no cover - exercised in Colab
    _glue = None


def glue(name: str, value: Any, display: bool = False) -> None:
    """Store ``value`` under ``name`` for the site's pages (hidden in the notebook by default)."""
    if hasattr(value, "item") and getattr(value, "ndim", None) == 0:
        value = value.item()  # a NumPy scalar: glue the plain Python number
    if _glue is not None:
        _glue(name, value, display=display)
