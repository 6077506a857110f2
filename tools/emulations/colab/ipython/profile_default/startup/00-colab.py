# Colab imports google.colab in every kernel before the first cell runs (stand-in, tests only).
import google.colab  # noqa: F401
