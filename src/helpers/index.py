"""reports/index.html: every published report with its formats, status and build history."""

import html
from pathlib import Path


def index_html(manifest: dict) -> str:
    """The index page for `manifest`; every value shown is escaped."""
    rows = []
    for name, entry in sorted(manifest["reports"].items()):
        links = " ".join(
            f'<a href="{html.escape(output["file"])}">{html.escape(fmt.upper())}</a>'
            for fmt, output in sorted(entry.get("outputs", {}).items())
        )
        parameters = ", ".join(
            f"{key}={value!r}" for key, value in sorted(entry.get("parameters", {}).items())
        )
        status, ended = html.escape(entry.get("status", "")), html.escape(entry.get("ended", ""))
        rows.append(
            f"<tr><td>{html.escape(name)}</td><td>{links}</td><td>{html.escape(parameters)}</td>"
            f"<td>{status}</td><td>{ended}</td></tr>"
        )
    changes = "".join(
        f"<li><strong>{html.escape(name)}</strong>: "
        + "; ".join(
            f"{html.escape(kind)}: {html.escape(', '.join(ids[:12]))}"
            + (f" and {len(ids) - 12} more" if len(ids) > 12 else "")
            for kind, ids in entry["changes"].items()
        )
        + "</li>"
        for name, entry in sorted(manifest["reports"].items())
        if entry.get("changes")
    )
    changes_block = (
        f"<ul>{changes}</ul>" if changes else "<p>No change in the data since the previous run.</p>"
    )
    history = "".join(
        f"<tr><td>{html.escape(run['ended'])}</td><td>{html.escape(run['name'])}</td>"
        f"<td>{html.escape(run['status'])}</td><td>{html.escape(run.get('error', ''))}</td></tr>"
        for run in reversed(manifest.get("history", []))
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>AI war reports</title>
<style>
body {{ font-family: "DejaVu Sans", Arial, sans-serif; max-width: 60rem; margin: 2rem auto;
       padding: 0 1rem; color: #222; }}
table {{ border-collapse: collapse; width: 100%; margin-bottom: 2rem; font-size: 0.9rem; }}
th, td {{ text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid #ddd;
          vertical-align: top; }}
</style></head>
<body>
<h1>The AI war: Musk versus Altman — published reports</h1>
<p><span lang="fr">Rapports publiés, en français et en anglais.</span> Every build is recorded in
<a href="manifest.json">manifest.json</a>.</p>
<h2>Reports</h2>
<table><thead><tr><th>Report</th><th>Files</th><th>Parameters</th><th>Status</th><th>Built</th></tr></thead>
<tbody>{"".join(rows)}</tbody></table>
<h2>What changed in the data since the previous published run</h2>
{changes_block}
<h2>History</h2>
<table><thead><tr><th>Ended</th><th>Report</th><th>Status</th><th>Error</th></tr></thead>
<tbody>{history}</tbody></table>
</body>
</html>
"""


def write_index(reports_dir: Path, manifest: dict) -> Path:
    """Write reports/index.html for `manifest`."""
    from helpers.build import write_atomically

    path = reports_dir / "index.html"
    write_atomically(path, index_html(manifest).encode("utf-8"))
    return path
