"""Synthetic fact bases N times the real one, to measure the build and check that charts hold up.

Each dated or sourced row of the chronology tables is copied N-1 times with a new id and a date
moved a few days later, or earlier where later would pass the table's newest real date (a copy
must not be dated in the future, which validation refuses); sources, actors, cases, topics,
phases and conflicts stay as they are, so the copy validates like the real fact base.
`python -m helpers.synthetic FACTOR OUT_DIR`.
"""

import csv
import io
import shutil
import sys
from pathlib import Path

import pandas as pd

from helpers.paths import DATA_DIR
from helpers.schema import tables


def _shift(text: str, days: int, precision: str) -> str:
    """`text` moved `days` later when it is known to the day; coarser dates stay as they are."""
    if precision != "day" or not text:
        return text
    return (pd.Timestamp(text) + pd.Timedelta(days=days)).strftime("%Y-%m-%d")


def _offset(row: dict, fields: tuple[str, ...], days: int, newest: str) -> int:
    """`days`, or `-days` when moving the row's dates later would put one after `newest`."""
    later = [_shift(row[f], days, "day") for f in fields if len(row.get(f) or "") == 10]
    return -days if any(date > newest for date in later) else days


def scale_fact_base(factor: int, out_dir: Path, data_dir: Path = DATA_DIR) -> Path:
    """Write into `out_dir` a copy of the fact base with `factor` times the chronology rows."""
    if factor < 1:
        raise ValueError(f"factor must be at least 1, got {factor}")
    if out_dir.exists():
        shutil.rmtree(out_dir)
    shutil.copytree(data_dir, out_dir)
    scaled = [table for table in tables(data_dir).values() if table.date_field]
    for table in scaled:  # every sourced, dated table: its key and its date change in a copy
        id_field, date_field = table.primary_key, table.date_field
        path = out_dir / table.path
        rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
        fields = list(rows[0])
        newest = max(
            (row[f] for row in rows for f in (date_field, "until") if len(row.get(f) or "") == 10),
            default="",
        )
        copies = []
        for copy in range(1, factor):
            for row in rows:
                precision = row.get("date_precision") or (
                    "day" if len(row[date_field]) == 10 else ""
                )
                until = row.get("until", "")
                days = _offset(row, (date_field, "until"), 3 * copy, newest)
                copies.append(
                    {
                        **row,
                        id_field: f"{row[id_field]}-x{copy}",
                        date_field: _shift(row[date_field], days, precision),
                        **(
                            {"until": _shift(until, days, "day" if len(until) == 10 else "")}
                            if until
                            else {}
                        ),
                    }
                )
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows + copies)
        path.write_text(buffer.getvalue(), encoding="utf-8")
    return out_dir


def main(argv: list[str] | None = None) -> int:
    """`python -m helpers.synthetic FACTOR OUT_DIR`."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 2 or not args[0].isdigit():
        print("usage: python -m helpers.synthetic FACTOR OUT_DIR", file=sys.stderr)
        return 2
    print(scale_fact_base(int(args[0]), Path(args[1])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
