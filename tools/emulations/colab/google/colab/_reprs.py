"""Stand-in: the real module imports numpy to register its rich displays."""

import numpy  # noqa: F401
