"""The lesson's authoring tools, one package: run each from the lesson's folder as
``python -m tools.NAME`` (the Makefile's targets do), e.g. ``python -m tools.notebooks refresh``.

Shared facts (folders, cell tags, CI variables, budgets) live in :mod:`tools.config`.
"""
