"""Edits that tests make to their copy of the fact base."""

from pathlib import Path


def row_of(csv_path: Path, identifier: str) -> int:
    """The row number (header = 1) of the line whose first field is `identifier`."""
    for number, line in enumerate(csv_path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.split(",", 1)[0] == identifier:
            return number
    raise LookupError(f"{identifier} not in {csv_path}")


def replace_in(csv_path: Path, old: str, new: str) -> None:
    """Replace the one occurrence of `old` in the file, failing loudly if it is not there once."""
    text = csv_path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {csv_path.name}"
    csv_path.write_text(text.replace(old, new), encoding="utf-8")
