"""Checks of *your* project: config.toml, its data, and what training on them gives.

The other test files check the code on a small example; this one checks that your
configuration and data work with it. When you adapt the project, these tests should pass
without changes.
"""

from __future__ import annotations

import json

import pytest

from mlproject.config import load_config
from mlproject.data import MANIFEST, read_checksums
from tests.helpers import PROJECT, cli

pytestmark = pytest.mark.filterwarnings("error")


def test_config_is_valid_and_data_pass_their_checks(capsys):
    assert cli("validate", "--config", PROJECT / "config.toml") == 0, capsys.readouterr().err


def test_every_data_file_has_a_checksum_and_a_datasheet():
    data = PROJECT / "data"
    recorded = read_checksums(data / MANIFEST)
    datasheet = (data / "README.md").read_text(encoding="utf-8")
    for path in sorted(data.iterdir()):
        if path.name not in (MANIFEST, "README.md") and not path.name.startswith("."):
            assert path.name in recorded, f"data/{path.name} has no checksum in data/{MANIFEST}"
            assert f"`{path.name}`" in datasheet, f"data/README.md does not describe {path.name}"
    assert load_config(PROJECT / "config.toml").data_path.name in recorded


def test_training_beats_the_dummy_baseline(project_trained):
    found = json.loads((project_trained / "results.json").read_text(encoding="utf-8"))
    difference = found["comparisons"]["model - dummy"]
    assert difference["interval"][0] > 0, f"the model is not clearly better than guessing: {difference}"
