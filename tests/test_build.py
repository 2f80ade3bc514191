"""What the build publishes: HTML and PDF per language, self-contained, in one language."""

import re
import shutil
from html.parser import HTMLParser

import pytest
from pypdf import PdfReader

from helpers import build
from helpers.paths import DATA_DIR, REPORT_NOTEBOOK


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    reports = tmp_path_factory.mktemp("reports")
    results = build.build(reports_dir=reports, log=lambda message: None)
    assert [result.status for result in results] == ["built", "built"]
    return reports


def config_with(tmp_path, body: str):
    """A reports.toml beside a copy of the report notebook, holding `body`."""
    (tmp_path / "notebooks").mkdir(exist_ok=True)
    shutil.copy(REPORT_NOTEBOOK, tmp_path / "notebooks" / "report.ipynb")
    path = tmp_path / "reports.toml"
    path.write_text(body, encoding="utf-8")
    return path


def html_of(reports, lang: str) -> str:
    return (reports / f"report-{lang}.html").read_text(encoding="utf-8")


class Elements(HTMLParser):
    """Collects tags with their attributes, and the ids present in the page."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict]]:
    parser = Elements()
    parser.feed(html)
    return parser.tags


def test_build_writes_html_pdf_and_the_executed_notebook(built):
    for lang in ("fr", "en"):
        assert (built / f"report-{lang}.html").exists()
        assert (built / f"report-{lang}.pdf").exists()
        assert (built / "executed" / f"report-{lang}.ipynb").exists()
    assert not list(built.glob(".staging-*"))  # nothing half-built is left behind


@pytest.mark.parametrize(
    ("lang", "title", "toc"),
    [
        ("fr", "La guerre de l'IA : Musk contre Altman", "Sommaire"),
        ("en", "The AI war: Musk versus Altman", "Contents"),
    ],
)
def test_html_is_in_its_language_with_a_table_of_contents(built, lang, title, toc):
    html = html_of(built, lang)
    assert f'<html lang="{lang}">' in html
    assert f"<title>{title}</title>" in html.replace("&#39;", "'").replace("&#x27;", "'")
    assert f'<p class="toc-title">{toc}</p>' in html
    tags = elements(html)
    ids = {attrs["id"] for _, attrs in tags if "id" in attrs}
    links = [
        attrs["href"][1:]
        for tag, attrs in tags
        if tag == "a" and attrs.get("href", "").startswith("#")
    ]
    assert links and set(links) <= ids  # every internal link lands
    assert {"summary", "money", "courts", "disputes", "sources"} <= ids


def test_html_is_self_contained_and_runs_nothing(built):
    for lang in ("fr", "en"):
        html = html_of(built, lang)
        tags = elements(html)
        assert not [attrs for tag, attrs in tags if tag == "script"]
        assert not [
            attrs for tag, attrs in tags if tag == "link" and attrs.get("rel") == "stylesheet"
        ]
        sources = [
            attrs.get("src", "")
            for tag, attrs in tags
            if tag in ("img", "iframe", "video", "audio")
        ]
        assert sources and all(src.startswith("data:image/png;base64,") for src in sources)
        assert "@import" not in html and "url(http" not in html
        assert "check_parameters" not in html  # no code input
        assert "Analyst note" not in html


def test_every_image_has_alt_text_and_a_caption(built):
    html = html_of(built, "fr")
    images = [attrs for tag, attrs in elements(html) if tag == "img"]
    assert len(images) == 5
    assert all(len(attrs.get("alt", "")) > 40 for attrs in images)
    assert html.count("<figcaption>") == 5


def visible_prose(html: str) -> str:
    """The report's own words: quotes, cited titles, the source list and markup taken out."""
    body = html.split("<body", 1)[1]
    body = re.sub(r"<style.*?</style>", " ", body, flags=re.S)
    body = re.sub(r'<ol class="sources">.*?</ol>', " ", body, flags=re.S)
    body = re.sub(r"<q [^>]*>.*?</q>|<cite [^>]*>.*?</cite>", " ", body, flags=re.S)
    body = re.sub(r'<img [^>]*alt="([^"]*)"[^>]*>', r" \1 ", body)
    return re.sub(r"<[^>]+>", " ", body)


ENGLISH_TELLTALES = (
    " the ",
    " and ",
    " of the ",
    "billion",
    "Source:",
    " per ",
    " from ",
    " with ",
)
FRENCH_TELLTALES = (" le ", " les ", " des ", " et ", " du ", "milliards", "selon", " avec ")


def test_no_english_in_the_french_report_and_no_french_in_the_english_one(built):
    french = visible_prose(html_of(built, "fr"))
    english = visible_prose(html_of(built, "en"))
    assert [word for word in ENGLISH_TELLTALES if word in french] == []
    assert [word for word in FRENCH_TELLTALES if word in english] == []


def test_pdf_is_a4_paginated_and_in_its_language(built):
    for lang, own, other in (("fr", "Chronologie", "Timeline"), ("en", "Timeline", "Chronologie")):
        reader = PdfReader(built / f"report-{lang}.pdf")
        assert 5 <= len(reader.pages) <= 40
        assert all(
            float(page.mediabox.width) == pytest.approx(595.3, abs=1.5) for page in reader.pages
        )
        text = " ".join(page.extract_text() for page in reader.pages)
        assert own in text and other not in text
        assert f"1 / {len(reader.pages)}" in text
    french = " ".join(page.extract_text() for page in PdfReader(built / "report-fr.pdf").pages)
    assert "Données arrêtées au" in french and "« 40 millions de dollars volés »" in french


def test_identical_inputs_give_an_identical_html(built, tmp_path):
    build.build(["report-en"], reports_dir=tmp_path, log=lambda message: None)
    assert (tmp_path / "report-en.html").read_bytes() == (built / "report-en.html").read_bytes()


def test_a_script_in_the_data_comes_out_inert(monkeypatch, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    events = data / "events.csv"
    text = events.read_text(encoding="utf-8")
    hostile = "<script>alert('data')</script>"
    text = text.replace("Musk's departure from OpenAI's board is announced", hostile, 1)
    text = text.replace(
        "Le départ de Musk du conseil d'administration d'OpenAI est annoncé", hostile, 1
    )
    events.write_text(text, encoding="utf-8")
    conflicts = data / "conflicts.csv"
    conflicts.write_text(
        conflicts.read_text(encoding="utf-8").replace(
            "Did Meta sue?", '"<img src=x onerror=alert(1)>"', 1
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("AI_WAR_DATA_DIR", str(data))
    config = config_with(
        tmp_path,
        '[[report]]\nname = "report-en"\nnotebook = "notebooks/report.ipynb"\n'
        'formats = ["html"]\nparameters = { lang = "en" }\n',
    )
    reports = tmp_path / "reports"
    build.build(config=config, reports_dir=reports, log=lambda message: None, data_dir=data)
    html = (reports / "report-en.html").read_text(encoding="utf-8")
    tags = elements(html)
    assert not [attrs for tag, attrs in tags if tag == "script"]
    assert not [attrs for tag, attrs in tags if "onerror" in attrs]
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
