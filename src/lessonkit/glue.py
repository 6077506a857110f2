"""``glue``: store a value in the notebook's outputs, under a name the site's pages quote.

The output has the form myst-nb's ``glue`` writes (its "papermill.record" MIME types, with the
name in the output's metadata), so the site's build reads it, but it is written here with
IPython alone: the notebook's outputs are then the same with or without myst-nb installed (in
Colab, in a learner's environment, in the site build), and nbval compares every glued value
wherever it runs. Front ends show nothing for these MIME types.
"""

from __future__ import annotations

from typing import Any

#: The MIME type prefix of a stored, not displayed, value (myst-nb's and scrapbook's).
RECORD = "application/papermill.record/"


def glue(name: str, value: Any, display: bool = False) -> None:
    """Store ``value`` under ``name`` for the site's pages (hidden in the notebook by default)."""
    from IPython.core.formatters import format_display_data
    from IPython.display import display as show

    if hasattr(value, "item") and getattr(value, "ndim", None) == 0:
        value = value.item()  # a NumPy scalar: glue the plain Python number
    bundle, metadata = format_display_data(value)
    prefix = "" if display else RECORD
    metadata["scrapbook"] = {"name": name, "mime_prefix": prefix}
    show(
        {prefix + mime: data for mime, data in bundle.items()},
        raw=True,
        metadata=metadata,
    )
