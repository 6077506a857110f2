"""Helpers shared by the lesson's notebooks.

Notebooks import what they need from here, for example::

    from lessonkit import load_penguins, glue, use_lesson_style

The notebooks' first cell calls :func:`setup`; their hidden cells check the pages' sentences
with :func:`claim`.

Everything is small on purpose: open the source and read it.
"""

from lessonkit.claims import ClaimError, claim
from lessonkit.data import (
    ChecksumMismatchError,
    DataFileMissingError,
    LessonDataError,
    WrongWorkingDirectoryError,
    data_path,
    load_penguins,
    sha256,
)
from lessonkit.environment import (
    LessonEnvironmentError,
    check_environment,
    environment_report,
    lesson_pins,
)
from lessonkit.glue import glue
from lessonkit.plotting import PALETTE, use_lesson_style
from lessonkit.seed import DEFAULT_SEED, LessonSeedError, lesson_seed
from lessonkit.start import LessonSetupStop, lesson_repository, setup

__all__ = [
    "ClaimError",
    "claim",
    "LessonSetupStop",
    "lesson_pins",
    "lesson_repository",
    "setup",
    "ChecksumMismatchError",
    "DataFileMissingError",
    "LessonDataError",
    "WrongWorkingDirectoryError",
    "data_path",
    "check_environment",
    "environment_report",
    "LessonEnvironmentError",
    "load_penguins",
    "sha256",
    "glue",
    "DEFAULT_SEED",
    "LessonSeedError",
    "lesson_seed",
    "PALETTE",
    "use_lesson_style",
]
