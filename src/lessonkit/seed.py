"""One place for the lesson's seed: the environment variable ``LESSON_SEED``.

Every notebook starts its random draws from :func:`lesson_seed`. The stored outputs, and every
number on the site, come from the default seed 0. Set another seed to ask the lesson's own
question of the lesson itself: *do the conclusions hold for another draw?*

    LESSON_SEED=3 jupyter lab          # or, in a notebook's first cell:
    %env LESSON_SEED=3                 # then restart the kernel and run all cells

The numbers change with the seed; the sentences on the site should not. The test suite runs
every notebook with seeds 1, 2 and 3 and every hidden claim check must pass.
"""

from __future__ import annotations

import os

#: The seed of the published outputs.
DEFAULT_SEED = 0


class LessonSeedError(ValueError):
    """``LESSON_SEED`` is set to something that is not a non-negative integer."""


def lesson_seed() -> int:
    """Return ``LESSON_SEED`` as an int (0 when it is unset or empty)."""
    raw = os.environ.get("LESSON_SEED", "").strip()
    if not raw:
        return DEFAULT_SEED
    try:
        seed = int(raw)
    except ValueError:
        seed = -1
    if seed < 0 or seed >= 2**32:
        raise LessonSeedError(
            f"LESSON_SEED={raw!r} is not a seed: use a whole number from 0 to 4294967295, "
            "for example `%env LESSON_SEED=1`, then restart the kernel."
        )
    return seed
