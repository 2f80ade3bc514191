"""What changed in the data between two published runs: new events, changed amounts, new positions.

The build keeps a small digest of the facts behind each published report; the next build that
publishes it compares the digests and records the differences in the manifest and the index.
"""

import json
from pathlib import Path

from helpers.paths import DATA_DIR
from helpers.schema import tables

MAX_IDS = 12  # ids kept (in the manifest) and shown (on the index) per kind of change


def facts_digest(
    data_dir: Path = DATA_DIR, frames: dict | None = None
) -> dict[str, dict[str, object]]:
    """The facts a reader would notice changing, by id: event titles, amounts, stances.

    Read straight from the CSV files (the build has validated them): only the columns needed.
    `frames`: the tables as the validation read them (`helpers.validate.validated`), taken
    instead of the files.
    """
    import pandas as pd

    paths = {name: table.path for name, table in tables(data_dir).items()}

    def columns(table: str, names: list[str]) -> pd.DataFrame:
        if frames is not None and table in frames:
            return frames[table][names]
        return pd.read_csv(data_dir / paths[table], usecols=names, dtype=str, keep_default_na=False)

    events = columns("events", ["event_id", "title_en"])
    amounts = columns("amounts", ["amount_id", "low_usd", "high_usd", "qualifier"])
    positions = columns("positions", ["position_id", "stance"])
    return {
        "events": dict(zip(events["event_id"], events["title_en"], strict=True)),
        "amounts": {
            row.amount_id: [
                float(row.low_usd),
                float(row.high_usd) if row.high_usd else None,
                row.qualifier,
            ]
            for row in amounts.itertuples()
        },
        "positions": dict(
            zip(positions["position_id"], positions["stance"].astype(int), strict=True)
        ),
    }


def compare(previous: dict | None, current: dict) -> dict[str, list[str]]:
    """New events, changed or new amounts, new or changed positions since `previous`."""
    if previous is None:
        return {}
    changes = {
        "new events": sorted(set(current["events"]) - set(previous["events"])),
        "removed events": sorted(set(previous["events"]) - set(current["events"])),
        "new amounts": sorted(set(current["amounts"]) - set(previous["amounts"])),
        "changed amounts": sorted(
            key for key, value in current["amounts"].items()
            if key in previous["amounts"] and previous["amounts"][key] != value
        ),
        "new positions": sorted(set(current["positions"]) - set(previous["positions"])),
        "changed positions": sorted(
            key for key, value in current["positions"].items()
            if key in previous["positions"] and previous["positions"][key] != value
        ),
    }  # fmt: skip
    return {kind: ids for kind, ids in changes.items() if ids}


def bounded(changes: dict[str, list[str]], keep: int = MAX_IDS) -> dict[str, dict]:
    """`changes` as the manifest keeps them: per kind, how many ids and the first `keep`. The
    whole lists stay in the digests (reports/state/): at 1000x the facts a first comparison can
    name hundreds of thousands of ids, which the manifest and the index must not carry."""
    return {kind: {"count": len(ids), "ids": ids[:keep]} for kind, ids in changes.items()}


def read_digest(path: Path) -> dict | None:
    """A digest written by an earlier build, or None."""
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
