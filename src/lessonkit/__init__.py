"""Helpers shared by the lesson's notebooks.

Notebooks import what they need from here, for example::

    from lessonkit import load_penguins, glue, use_lesson_style

Everything is small on purpose: open the source and read it.
"""

from lessonkit.data import (
    ChecksumMismatchError,
    DataFileMissingError,
    LessonDataError,
    WrongWorkingDirectoryError,
    data_path,
    load_penguins,
    sha256,
)
from lessonkit.environment import LessonEnvironmentError, check_environment, environment_report
from lessonkit.glue import glue
from lessonkit.plotting import PALETTE, use_lesson_style
from lessonkit.seed import DEFAULT_SEED, LessonSeedError, lesson_seed

__all__ = [
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
