"""Stand-in for Colab's ``google.colab`` package (tests only, tools/emulate.py).

What matters for the lesson: Colab imports this package when its kernel starts, and the real
one imports numpy there (``google/colab/_reprs.py``), so numpy is in memory before the first
cell runs.
"""

from google.colab import _reprs  # noqa: F401
