"""Checks of *your* project: config.toml, its data, and that training on them works.

The other test files check the code on small examples; this one checks that your
configuration and data work with it. When you adapt the project, these tests should pass
without changes. They check that training runs and reports, not what it finds: a model that is
no better than the dummy is a result for your paper, not a failing test.
"""

from __future__ import annotations

import json
import shutil

import pytest

from mlproject.config import load_config
from mlproject.data import MANIFEST, read_checksums, sha256
from tests.helpers import PROJECT, cli, results

pytestmark = pytest.mark.filterwarnings("error")


def test_config_is_valid_and_data_pass_their_checks(capsys):
    assert cli("validate", "--config", PROJECT / "config.toml") == 0, capsys.readouterr().err


def test_every_raw_data_file_has_a_checksum_and_a_datasheet():
    raw = PROJECT / "data" / "raw"
    recorded = read_checksums(raw / MANIFEST)
    datasheet = (PROJECT / "data" / "README.md").read_text(encoding="utf-8")
    for path in sorted(raw.iterdir()):
        if path.name != MANIFEST and not path.name.startswith("."):
            assert path.name in recorded, (
                f"data/raw/{path.name} has no checksum in data/raw/{MANIFEST}"
            )
            assert f"`{path.name}`" in datasheet, (
                f"data/README.md does not describe {path.name}: name the file in backticks, "
                f"`{path.name}`, in its datasheet"
            )
    assert (PROJECT / load_config(PROJECT / "config.toml").raw).name in recorded


def test_every_checksum_matches_its_file():
    """What CI's `sha256sum --check` does: every line of SHA256SUMS has its file, unchanged."""
    raw = PROJECT / "data" / "raw"
    for name, digest in read_checksums(raw / MANIFEST).items():
        assert (raw / name).is_file(), (
            f"data/raw/{MANIFEST} lists {name}, but there is no data/raw/{name}. If you removed "
            f"the file on purpose, delete its line from data/raw/{MANIFEST}."
        )
        assert sha256(raw / name) == digest, (
            f"data/raw/{name} has changed since its checksum was recorded in data/raw/{MANIFEST}. "
            f"Restore it, or record the new checksum: python -m mlproject checksum data/raw/{name}"
        )


def test_the_processed_data_are_what_prepare_makes(tmp_path):
    """`prepare`, run again on a copy of the project, writes the same bytes."""
    config = load_config(PROJECT / "config.toml")
    shutil.copy(PROJECT / "config.toml", tmp_path / "config.toml")
    shutil.copytree(PROJECT / "data" / "raw", tmp_path / "data" / "raw")
    assert cli("prepare", "--config", tmp_path / "config.toml") == 0
    made, committed = tmp_path / config.processed, PROJECT / config.processed
    assert made.read_bytes() == committed.read_bytes(), (
        f"{config.processed} is not what prepare makes from the raw data: run "
        "`python -m mlproject prepare`"
    )

    def entry(folder):
        return json.loads((folder / "provenance.json").read_text(encoding="utf-8"))[made.name]

    assert entry(made.parent) == entry(committed.parent)


def test_training_runs_and_reports_the_comparisons(project_trained):
    found = results(project_trained)
    assert set(found["comparisons"]) == {"model - baseline", "model - dummy"}
    card = (project_trained / "model-card.md").read_text(encoding="utf-8")
    assert found["conclusions"][0] in card  # better than the dummy, or not: said either way
