"""reports/index.html: every published report with its formats, status and build history."""

from pathlib import Path

from jinja2 import Environment, FileSystemLoader

from helpers.paths import TEMPLATES_DIR

MAX_IDS = 12  # changed ids listed per kind before 'and N more'


def _changes(kind: str, ids: list[str]) -> str:
    more = f" and {len(ids) - MAX_IDS} more" if len(ids) > MAX_IDS else ""
    return f"{kind}: {', '.join(ids[:MAX_IDS])}{more}"


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
            "ended": entry.get("ended", ""),
        }
        for name, entry in entries
    ]
    changes = [
        {"name": name, "kinds": [_changes(kind, ids) for kind, ids in entry["changes"].items()]}
        for name, entry in entries
        if entry.get("changes")
    ]
    history = [
        {**run, "error": run.get("error", "")} for run in reversed(manifest.get("history", []))
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
