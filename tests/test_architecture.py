"""The section is the unit: adding one is one module, one template and its texts, and the report
numbers it, lists it and anchors it by the order of sections alone."""

import json
import os
import re
import shutil
import subprocess
import sys

from helpers.paths import DATA_DIR, PACKAGE_DIR, PROJECT_ROOT, REPORT_NOTEBOOK

NEW_MODULE = '''"""A made-up section between the money and the courts: the amounts' sources."""

from helpers.context import ReportContext
from helpers.i18n import label
from helpers.report.prose import say
from helpers.report.section import FigureSpec, Section
from helpers.report.words import section, sources_note

ORDER = 35


def build(ctx: ReportContext) -> Section:
    amounts = ctx.facts["amounts"]
    chart = FigureSpec(
        draw=lambda ax: ax.bar(range(len(amounts)), amounts["low_usd"]) and ax,
        size=(6.7, 2.0),
        caption=label("outlook.caption", ctx.lang, count=len(amounts)),
        alt=label("outlook.alt", ctx.lang, count=len(amounts)),
        note=sources_note(ctx, amounts["source_id"]),
    )
    count = say("outlook.count", ctx.lang, count=len(amounts))
    return section(ctx, "outlook", paragraphs=(count,), chart=chart)
'''
NEW_TEMPLATE = '{% extends "section.html.j2" %}\n'
NEW_TEXTS = {
    "en": '\n[outlook]\nheading = "Outlook <b>ahead</b>"\ncount = "{count} amounts."\n'
    'caption = "Bars of {count} amounts."\nalt = "A bar chart of {count} amounts in dollars."\n',
    "fr": '\n[outlook]\nheading = "Perspectives"\ncount = "{count} montants."\n'
    'caption = "Barres de {count} montants."\n'
    'alt = "Un diagramme de {count} montants en dollars."\n',
}


def test_a_new_section_is_one_module_one_template_and_its_texts(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(
        PACKAGE_DIR, project / "src" / "helpers", ignore=shutil.ignore_patterns("__pycache__")
    )
    (project / "notebooks").mkdir()
    shutil.copy(REPORT_NOTEBOOK, project / "notebooks")
    shutil.copy(PROJECT_ROOT / "requirements.lock", project)
    (project / "reports.toml").write_text(
        '[defaults]\nnotebook = "notebooks/report.ipynb"\nformats = ["html"]\n\n'
        '[[report]]\nname = "report-en"\nparameters = { lang = "en" }\n',
        encoding="utf-8",
    )
    report = project / "src" / "helpers" / "report"
    (report / "sections" / "outlook.py").write_text(NEW_MODULE, encoding="utf-8")
    (report / "templates" / "sections" / "outlook.html.j2").write_text(
        NEW_TEMPLATE, encoding="utf-8"
    )
    for lang, texts in NEW_TEXTS.items():
        with (report / "text" / f"{lang}.toml").open("a", encoding="utf-8") as catalogue:
            catalogue.write(texts)
    env = {**os.environ, "PYTHONPATH": str(project / "src"), "AI_WAR_DATA_DIR": str(DATA_DIR)}
    reports = tmp_path / "reports"
    command = [sys.executable, "-m", "helpers", "build", "--config", str(project / "reports.toml"),
               "--reports", str(reports)]  # fmt: skip
    run = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=300, cwd=tmp_path
    )
    assert run.returncode == 0, run.stderr
    html = (reports / "report-en.html").read_text(encoding="utf-8")
    toc = re.search(r'<nav[^>]*class="toc".*?</nav>', html, re.DOTALL).group(0)
    entries = re.findall(r'<a href="#([a-z-]+)">(.*?)</a>', toc)
    assert [anchor for anchor, _ in entries][2:5] == ["money", "outlook", "courts"]
    assert ("outlook", "Outlook &lt;b&gt;ahead&lt;/b&gt;") in entries  # markup in a text stays text
    assert '<h2 id="outlook">Outlook &lt;b&gt;ahead&lt;/b&gt;</h2>' in html
    numbers = re.findall(
        r'id="figure-(\d+)".*?<strong>Figure (\d+)\.</strong> (\w+)', html, re.DOTALL
    )
    assert [(a, b) for a, b, _ in numbers] == [(str(n), str(n)) for n in range(1, 7)]
    assert numbers[2][2] == "Bars" and numbers[3][2] != "Bars"  # the new one third, courts fourth
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert len(ids) == len(set(ids))


def test_no_html_is_assembled_in_python():
    """Markup lives in the templates; the helpers hand them values, which Jinja escapes."""
    tags = re.compile(
        r"""["']<(?:/?)(?:a|p|li|ul|ol|div|span|h[1-6]|q|img|figure|table|tr|td|th)\b"""
    )
    offenders = [
        f"{path.relative_to(PACKAGE_DIR)}:{number}"
        for path in PACKAGE_DIR.rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if tags.search(line)
    ]
    assert offenders == []


def test_the_templates_autoescape():
    from helpers.report.render import environment

    template = environment().from_string("{{ value }}")
    assert template.render(value="<script>x</script>") == "&lt;script&gt;x&lt;/script&gt;"
    assert json.dumps(environment().autoescape) == "true"
