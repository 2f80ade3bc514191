"""What `data/datapackage.json` declares about the tables, read once: files, fields, primary keys,
foreign keys and the date each sourced row is filtered on.

The loader, the validation, `as_of` editions, the synthetic fact bases and the what-changed digest
all ask here instead of keeping their own lists of tables.
"""

import functools
import json
from dataclasses import dataclass
from pathlib import Path

from helpers.paths import DATA_DIR

PACKAGE_FILE = "datapackage.json"
MAX_FILE_BYTES = 100_000_000  # far above the real tables; stops a runaway file before parsing
PARTIAL_DATE = (
    r"^\d{4}(-\d{2}(-\d{2})?)?$"  # the pattern of every YYYY, YYYY-MM or YYYY-MM-DD field
)


@dataclass(frozen=True)
class TableSchema:
    """One table of the data package."""

    name: str
    path: str
    fields: tuple[str, ...]
    primary_key: str
    foreign_keys: dict[str, str]  # field -> referenced table
    date_fields: tuple[str, ...]  # fields holding partial dates

    @property
    def sourced(self) -> bool:
        """Whether each row cites a source (the chronology tables and cases)."""
        return self.foreign_keys.get("source_id") == "sources"

    @property
    def date_field(self) -> str | None:
        """The date an `as_of` edition filters a sourced row on: its first date field."""
        return self.date_fields[0] if self.sourced and self.date_fields else None


def read_descriptor(data_dir: Path = DATA_DIR) -> dict:
    """The data package descriptor, as JSON."""
    return json.loads((data_dir / PACKAGE_FILE).read_text(encoding="utf-8"))


def _table(resource: dict) -> TableSchema:
    schema = resource["schema"]
    key = schema.get("primaryKey", [])
    fields = schema["fields"]
    return TableSchema(
        name=resource["name"],
        path=resource["path"],
        fields=tuple(field["name"] for field in fields),
        primary_key=key[0] if isinstance(key, list) and key else key or "",
        foreign_keys={
            foreign["fields"][0] if isinstance(foreign["fields"], list) else foreign["fields"]: (
                foreign["reference"]["resource"]
            )
            for foreign in schema.get("foreignKeys", [])
        },
        date_fields=tuple(
            field["name"]
            for field in fields
            if field.get("constraints", {}).get("pattern") == PARTIAL_DATE
        ),
    )


@functools.cache
def _tables(data_dir: Path, stamp: int) -> dict[str, TableSchema]:
    return {
        resource["name"]: _table(resource) for resource in read_descriptor(data_dir)["resources"]
    }


def tables(data_dir: Path = DATA_DIR) -> dict[str, TableSchema]:
    """Every table of the package in `data_dir`, by name, in the descriptor's order."""
    stamp = (data_dir / PACKAGE_FILE).stat().st_mtime_ns  # a changed descriptor is read again
    return _tables(data_dir, stamp)


def primary_keys(data_dir: Path = DATA_DIR) -> dict[str, str]:
    """The primary key field of each table."""
    return {name: table.primary_key for name, table in tables(data_dir).items()}


def date_fields(data_dir: Path = DATA_DIR) -> dict[str, str]:
    """The date each sourced, dated table is filtered on by `as_of` ('relations': 'since')."""
    return {name: table.date_field for name, table in tables(data_dir).items() if table.date_field}
