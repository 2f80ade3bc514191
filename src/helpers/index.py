"""reports/index.html: a card for every published edition (title, standfirst, data date, its lead
chart, links with sizes), then what changed in the data and the history of builds. One
self-contained page: the thumbnails are data addresses kept in the manifest."""

import datetime as dt
import re
from pathlib import Path

from bs4 import BeautifulSoup
from jinja2 import Environment, FileSystemLoader

from helpers.paths import TEMPLATES_DIR

MAX_IDS = 12  # changed ids listed per kind before 'and N more'


def _changes(kind: str, ids: list[str]) -> str:
    more = f" and {len(ids) - MAX_IDS} more" if len(ids) > MAX_IDS else ""
    return f"{kind}: {', '.join(ids[:MAX_IDS])}{more}"


def card_of(html: str) -> tuple[dict, str]:
    """What the index shows of an edition, read from its page, and its lead chart as SVG ('' when
    it has none). The page's text was escaped when it was rendered; the template escapes again."""
    soup = BeautifulSoup(html, "html.parser")

    def text(selector: str) -> str:
        found = soup.select_one(selector)
        # ASCII whitespace only: the no-break spaces of French typography stay
        return re.sub(r"[ \t\r\n]+", " ", found.get_text()).strip() if found else ""

    chart = soup.select_one("figure .chart[aria-label]")
    svg = chart.find("svg") if chart else None
    card = {
        "title": text("title"),
        "standfirst": text("p.standfirst"),
        "as_of": text("p.as-of"),
        "lang": (soup.html.get("lang") if soup.html else "") or "",
        "chart_label": chart.get("aria-label", "") if chart else "",
    }
    return card, (str(svg) if svg else "")


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
            "thumbnail": (entry.get("card") or {}).get("thumbnail", ""),
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
