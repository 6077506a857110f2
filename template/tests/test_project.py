"""Checks of *your* project: config.toml, its data, and what training on them gives.

The other test files check the code on a small example; this one checks that your
configuration and data work with it. When you adapt the project, these tests should pass
without changes.
"""

from __future__ import annotations

import json

import pytest

from mlproject.config import load_config
from mlproject.data import MANIFEST, read_checksums, sha256
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
            assert f"`{path.name}`" in datasheet, (
                f"data/README.md does not describe {path.name}: name the file in backticks, "
                f"`{path.name}`, in its datasheet"
            )
    assert load_config(PROJECT / "config.toml").data_path.name in recorded


def test_every_checksum_matches_its_file():
    """What CI's `sha256sum --check` does: every line of SHA256SUMS has its file, unchanged."""
    data = PROJECT / "data"
    for name, digest in read_checksums(data / MANIFEST).items():
        assert (data / name).is_file(), (
            f"data/{MANIFEST} lists {name}, but there is no data/{name}. If you removed the "
            f"file on purpose, delete its line from data/{MANIFEST}."
        )
        assert sha256(data / name) == digest, (
            f"data/{name} has changed since its checksum was recorded in data/{MANIFEST}. Restore "
            f"it, or record the new checksum: python -m mlproject checksum data/{name}"
        )


def test_training_beats_the_dummy_baseline(project_trained):
    found = json.loads((project_trained / "results.json").read_text(encoding="utf-8"))
    difference = found["comparisons"]["model - dummy"]
    assert difference["interval"][0] > 0, f"the model is not clearly better than guessing: {difference}"
