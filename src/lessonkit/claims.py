"""Claims: a sentence of the lesson's pages, checked against the numbers behind it.

Each notebook states, in hidden cells, the claims its episode's prose makes about the numbers
it computes ("the split moves the score more than the forest seed"), with those numbers::

    claim(split_sd > forest_sd, "the split moves the score more than the forest seed",
          split_sd=split_sd, forest_sd=forest_sd)

What happens when a claim does not hold depends on who runs the notebook:

* a learner (the default): one line starting ``Claim does not hold at this seed:`` with the
  claim and its numbers, and the notebook goes on. A learner who tries another seed
  (``LESSON_SEED``) should never be stopped by the lesson's own checks;
* the lesson's tests (``LESSON_STRICT=1``): :class:`ClaimError`, which fails the run;
* the seed sweep (``LESSON_CLAIMS=FILE``): every claim, held or not, is also appended to FILE
  as one JSON line, so that ``make seeds`` can count at how many seeds each claim holds.
"""

from __future__ import annotations

import json
import os
from numbers import Number
from pathlib import Path

from lessonkit.seed import lesson_seed

#: Set to 1 (the tests do) to make a claim that does not hold an error.
STRICT = "LESSON_STRICT"
#: A file to which every claim is appended as a JSON line (the seed sweep sets it).
RECORD = "LESSON_CLAIMS"
PREFIX = "Claim does not hold at this seed:"


class ClaimError(AssertionError):
    """A claim of the lesson's pages does not hold (raised only with ``LESSON_STRICT=1``)."""


def _plain(value):
    """A number as a plain Python number (NumPy scalars included); anything else as text."""
    if hasattr(value, "item") and getattr(value, "ndim", None) == 0:
        value = value.item()
    if isinstance(value, bool) or not isinstance(value, Number):
        return str(value)
    return value


def _shown(value) -> str:
    value = _plain(value)
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _strict() -> bool:
    return os.environ.get(STRICT, "").strip() not in ("", "0")


def claim(holds, statement: str, **numbers) -> None:
    """Check one claim of the lesson's pages.

    ``holds`` is the test (anything with a truth value), ``statement`` the claim in words as
    the page makes it, and ``numbers`` the values it rests on (printed when it does not hold).
    """
    held = bool(holds)
    record = os.environ.get(RECORD)
    if record:
        entry = {
            "claim": statement,
            "held": held,
            "seed": lesson_seed(),
            "numbers": {
                name: _plain(value) for name, value in numbers.items()
            },
        }
        with Path(record).open("a", encoding="utf-8") as out:
            out.write(json.dumps(entry) + "\n")
    if held:
        return
    detail = ", ".join(
        f"{name} = {_shown(value)}" for name, value in numbers.items()
    )
    message = f"{PREFIX} {statement}" + (f" ({detail})" if detail else "")
    if _strict():
        raise ClaimError(message)
    print(message)
