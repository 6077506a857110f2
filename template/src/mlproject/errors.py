"""The problems a user can fix themselves: the command line prints their message (no traceback)
and exits with status 1. Every message names the problem, where it is, and what to do about it.
Any other exception is a bug in the code, and keeps its full traceback.
"""


class ProjectError(Exception):
    """A problem with the configuration or the data, explained for the user."""


class ConfigError(ProjectError):
    """config.toml is missing, malformed or inconsistent."""


class DataError(ProjectError):
    """The data file is missing, changed, or does not match what config.toml describes."""
