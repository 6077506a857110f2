"""From the raw data to the processed data that every other command reads.

``data/raw/`` holds the data as you received them: never edit them (their checksums are in
``data/raw/SHA256SUMS``). Every change (renamed columns, converted units, corrected labels,
rows left out for a reason the datasheet gives) goes into :func:`prepare` below, as code that
can be read, reviewed and run again. ``python -m mlproject prepare`` runs it and writes the
processed file, and, in ``provenance.json`` next to it, its checksum and those of the raw file
and of this file; the other commands refuse processed data that do not match them.

``predict`` runs :func:`read_raw` and :func:`prepare` on new data too, which may have no
target column: do not rely on it here.
"""

import json
from pathlib import Path

import pandas as pd

from mlproject.data import PREPARE, PROVENANCE, read_csv, sha256, verify_raw


def read_raw(path: Path, shown: str) -> pd.DataFrame:
    """Read a raw data file. A file separated by semicolons, with decimal commas, needs
    ``pd.read_csv(path, sep=";", decimal=",")``; an Excel file ``pd.read_excel(path)``."""
    return read_csv(path, shown)


def prepare(table: pd.DataFrame) -> pd.DataFrame:
    """The raw table in, the processed table out. Add your own steps, for example::

        table = table.rename(columns={"Body Mass (g)": "body_mass_g"})
        table["body_mass_g"] = 1000 * table["body_mass_kg"]
        table["species"] = table["species"].str.capitalize()
        table = table[table["sample"] != "S-17"]  # contaminated: see data/README.md

    and describe each step in the datasheet (data/README.md).
    """
    # Spreadsheets often leave spaces around text ("Adelie "): remove them.
    text = table.select_dtypes(include=["object", "string"]).columns
    table[text] = table[text].apply(lambda column: column.str.strip())
    return table


# ------------------------------------------------------------ the step itself: no need to edit
def run(config) -> tuple[Path, int]:
    """Prepare the raw file of config.toml; write the processed file and its provenance."""
    from mlproject.report import write_json

    raw_sha = verify_raw(config)
    table = prepare(read_raw(config.folder / config.raw, config.raw))
    out = config.folder / config.processed
    out.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(out, index=False, lineterminator="\n")  # the same bytes on every system
    provenance = out.parent / PROVENANCE
    made = json.loads(provenance.read_text(encoding="utf-8")) if provenance.is_file() else {}
    made[out.name] = {
        "sha256": sha256(out),
        "made_from": config.raw,
        "made_from_sha256": raw_sha,
        "made_by": "src/mlproject/prepare.py",
        "made_by_sha256": sha256(PREPARE, text=True),
    }
    write_json(made, provenance)
    return out, len(table)
