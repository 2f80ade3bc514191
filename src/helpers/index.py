"""reports/index.html: a card for every published edition (title, standfirst, data date, a
picture of its lead chart, links with sizes), then what changed in the data and the history of
builds. The manifest keeps each card's words and the name of its picture, a small PNG published
beside the reports (see THUMBNAIL below, and helpers.printing), never the chart itself."""

import datetime as dt
import re
from html.parser import HTMLParser
from pathlib import Path

from jinja2 import Environment, FileSystemLoader

from helpers.changes import MAX_IDS
from helpers.paths import TEMPLATES_DIR

THUMBNAIL = ".thumb.png"  # <name>.thumb.png: the picture of an edition's lead chart on its card

CHUNK = 1 << 14  # characters of a page read at a time until its card is complete


class _CardReader(HTMLParser):
    """Reads a page until it has what a card shows: <html lang>, <title>, p.standfirst, p.as-of,
    and the alt text of the first chart in a figure. It stops there, so the time it takes does
    not grow with the page (a page of 1000x the facts is 16 MB, its lead chart at 9 KB)."""

    WANTED = ("title", "standfirst", "as_of", "chart_label")

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: dict[str, str] = {"lang": ""}
        self._open: list[tuple[str, str]] = []  # (tag, field) of the elements being read
        self._texts: dict[str, list[str]] = {}
        self._figures = 0  # <figure> elements open

    @property
    def complete(self) -> bool:
        return all(key in self.found for key in self.WANTED)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {name: value or "" for name, value in attrs}
        classes = attributes.get("class", "").split()
        if tag == "html" and not self.found["lang"]:
            self.found["lang"] = attributes.get("lang", "")
        elif tag == "figure":
            self._figures += 1
        field = None
        if tag == "title":
            field = "title"
        elif tag == "p" and "standfirst" in classes:
            field = "standfirst"
        elif tag == "p" and "as-of" in classes:
            field = "as_of"
        if (
            self._figures
            and "chart" in classes
            and "aria-label" in attributes
            and "chart_label" not in self.found
        ):
            self.found["chart_label"] = attributes["aria-label"]
        if field and field not in self.found and field not in self._texts:
            self._texts[field] = []
            self._open.append((tag, field))

    def handle_endtag(self, tag: str) -> None:
        if tag == "figure" and self._figures:
            self._figures -= 1
        if self._open and self._open[-1][0] == tag:
            _, field = self._open.pop()
            # ASCII whitespace only: the no-break spaces of French typography stay
            text = re.sub(r"[ \t\r\n]+", " ", "".join(self._texts.pop(field))).strip()
            self.found[field] = text

    def handle_data(self, data: str) -> None:
        for _, field in self._open:
            self._texts[field].append(data)


def card_of(html: str) -> dict:
    """What the index shows of an edition, read from the head of its page: title, standfirst,
    data date, language and the alt text of its lead chart ('' for what the page lacks). The
    page's text was escaped when it was rendered; the index template escapes it again."""
    reader = _CardReader()
    for start in range(0, len(html), CHUNK):
        reader.feed(html[start : start + CHUNK])
        if reader.complete:
            break
    return _found_card(reader)


def _found_card(reader: _CardReader) -> dict:
    """The card the reader has read; '' for what the page lacks."""
    found = reader.found
    return {
        "title": found.get("title", ""),
        "standfirst": found.get("standfirst", ""),
        "as_of": found.get("as_of", ""),
        "lang": found["lang"],
        "chart_label": found.get("chart_label", ""),
    }


def read_card(page: Path) -> dict:
    """`card_of` the page in the file `page`, reading no more of it than the card needs."""
    reader = _CardReader()
    with page.open(encoding="utf-8") as stream:
        while not reader.complete and (chunk := stream.read(CHUNK)):
            reader.feed(chunk)
    return _found_card(reader)


def _changes(kind: str, change: dict | list) -> str:
    """'new events: a, b and 3 more': the first ids of a kind of change, and how many more."""
    ids = change.get("ids", []) if isinstance(change, dict) else change  # older: the whole list
    count = change.get("count", len(ids)) if isinstance(change, dict) else len(change)
    shown = ids[:MAX_IDS]
    more = f" and {count - len(shown)} more" if count > len(shown) else ""
    return f"{kind}: {', '.join(shown)}{more}"


def _picture(card: dict) -> dict:
    """The card's picture as the template shows it: file (with its content hash, so that a
    browser never shows an older one from its cache) and size in pixels; {} for none."""
    picture = card.get("thumbnail")
    if not isinstance(picture, dict) or not isinstance(picture.get("file"), str):
        return {}  # none, or an older manifest's inline chart: not carried into the page
    return {
        "src": f"{picture['file']}?v={str(picture.get('sha256', ''))[:12]}",
        "width": picture.get("width"),
        "height": picture.get("height"),
    }


def _size(count: int) -> str:
    return f"{count / 1e6:.1f} MB" if count >= 1e6 else f"{max(1, round(count / 1e3))} KB"


def _when(stamp: str) -> str:
    """'2026-11-28T06:12:09+00:00' as a reader reads it: '28 Nov 2026, 06:12 UTC'."""
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except (TypeError, ValueError):
        return str(stamp or "")
    return moment.astimezone(dt.UTC).strftime("%-d %b %Y, %H:%M UTC")


def index_html(manifest: dict) -> str:
    """The index page for `manifest`; every value shown is escaped by the template."""
    entries = sorted(manifest["reports"].items())
    reports = [
        {
            "name": name,
            "links": [
                {"file": output["file"], "format": fmt.upper()}
                for fmt, output in sorted(entry.get("outputs", {}).items())
            ],
            "parameters": ", ".join(
                f"{key}={value!r}" for key, value in sorted(entry.get("parameters", {}).items())
            ),
            "status": entry.get("status", ""),
            "ended": _when(entry.get("ended", "")),
            "card": entry.get("card") or {},
            "picture": _picture(entry.get("card") or {}),
            "sizes": {fmt: _size(o.get("bytes", 0)) for fmt, o in entry.get("outputs", {}).items()},
        }
        for name, entry in entries
    ]
    changes = [
        {"name": name, "kinds": [_changes(kind, ids) for kind, ids in entry["changes"].items()]}
        for name, entry in entries
        if entry.get("changes")
    ]
    history = [
        {**run, "ended": _when(run.get("ended")), "error": run.get("error", "")}
        for run in reversed(manifest.get("history", []))
    ]
    env = Environment(loader=FileSystemLoader(TEMPLATES_DIR), autoescape=True)
    page = env.get_template("index.html.j2")
    data = manifest.get("data")
    return page.render(reports=reports, changes=changes, history=history, data=data) + "\n"


def write_index(reports_dir: Path, manifest: dict) -> Path:
    """Write reports/index.html for `manifest`."""
    from helpers.build import write_atomically

    path = reports_dir / "index.html"
    write_atomically(path, index_html(manifest).encode("utf-8"))
    return path
