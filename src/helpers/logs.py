"""Log lines for operators: a time, a level and, where there is one, the edition, on every line.

The build speaks through a plain `log(message)` callable. A message says its level by its first
word, as a person would write it: `error: ...` or `warning: ...` (any case; `WARNING stale data`
too); anything else is INFO. A message about one edition starts with its name, `report-fr: ...`.
`Logger` turns such messages into lines a log file, journald or a log shipper can use: text
(`2025-01-31T06:00:01.123+00:00 INFO    report-fr: executed`) or JSON, one object per line.
"""

import datetime as dt
import json
import re
import sys
from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import TextIO

INFO, WARNING, ERROR = "INFO", "WARNING", "ERROR"
LEVELS = (INFO, WARNING, ERROR)
FORMATS = ("text", "json")
_MARK = re.compile(r"^(error|warning)(?::\s*|\s+)", re.IGNORECASE)
_EDITION = re.compile(r"^([a-z0-9]+(?:-[a-z0-9]+)*): ")  # a report name, as reports.toml allows


@dataclass(frozen=True)
class Entry:
    """One thing the build said."""

    time: dt.datetime
    level: str
    message: str
    edition: str | None = None


def classify(message: str, editions: Collection[str] = ()) -> tuple[str, str | None, str]:
    """The level, the edition (one of `editions`, or None) and the text of `message`."""
    level = INFO
    if mark := _MARK.match(message):
        level = mark.group(1).upper()
        message = message[mark.end() :]
    edition = None
    if (named := _EDITION.match(message)) and named.group(1) in editions:
        edition = named.group(1)
    return level, edition, message


def now() -> dt.datetime:
    """The current time, UTC, to the millisecond."""
    return dt.datetime.now(dt.UTC)


def stamp(time: dt.datetime) -> str:
    """ISO 8601 with milliseconds and the offset: 2025-01-31T06:00:01.123+00:00."""
    return time.isoformat(timespec="milliseconds")


def as_text(entry: Entry) -> str:
    """Every line of the message, each with the time and the level (multi-line errors too)."""
    head = f"{stamp(entry.time)} {entry.level:<7} "
    return "\n".join(head + line for line in entry.message.splitlines() or [""])


def as_json(entry: Entry) -> str:
    """One JSON object on one line: time, level, message and edition (when there is one)."""
    record = {"time": stamp(entry.time), "level": entry.level, "message": entry.message}
    if entry.edition:
        record["edition"] = entry.edition
    return json.dumps(record, ensure_ascii=False)


class Logger:
    """A `log(message)` callable for the build that writes stamped lines to `stream`.

    `quiet`: INFO is left out, warnings and errors stay. `editions`: the report names that a
    message may start with. `clock` gives the time of each entry (UTC by default).
    """

    def __init__(
        self,
        stream: TextIO | None = None,
        log_format: str = "text",
        quiet: bool = False,
        editions: Collection[str] = (),
        clock: Callable[[], dt.datetime] = now,
    ) -> None:
        if log_format not in FORMATS:
            raise ValueError(f"log format {log_format!r}: use one of {', '.join(FORMATS)}")
        self.stream = stream
        self.render = as_json if log_format == "json" else as_text
        self.quiet = quiet
        self.editions = frozenset(editions)
        self.clock = clock

    def __call__(self, message: str) -> None:
        level, edition, text = classify(message, self.editions)
        self.write(Entry(self.clock(), level, text, edition))

    def error(self, message: str, edition: str | None = None) -> None:
        """Log `message` as an ERROR, whatever its first word, about `edition` if given."""
        _, named, text = classify(message, self.editions)
        self.write(Entry(self.clock(), ERROR, text, edition or named))

    def write(self, entry: Entry) -> None:
        if self.quiet and entry.level == INFO:
            return
        stream = self.stream or sys.stdout  # looked up late: tests and callers swap sys.stdout
        print(self.render(entry), file=stream, flush=True)
