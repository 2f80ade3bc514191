"""What the build publishes: HTML and PDF per language, self-contained, in one language."""

import re
from html.parser import HTMLParser

import pytest
from pypdf import PdfReader

from helpers import build


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


def test_build_writes_html_pdf_and_the_executed_notebook(published):
    for lang in ("fr", "en"):
        assert (published / f"report-{lang}.html").exists()
        assert (published / f"report-{lang}.pdf").exists()
        assert (published / "executed" / f"report-{lang}.ipynb").exists()
    assert not list(published.glob(".staging-*"))  # nothing half-built is left behind


@pytest.mark.parametrize(
    ("lang", "title", "toc"),
    [
        ("fr", "La guerre de l\u2019IA\u00a0: Musk contre Altman", "Sommaire"),
        ("en", "The AI war: Musk versus Altman", "Contents"),
    ],
)
def test_html_is_in_its_language_with_a_table_of_contents(published, lang, title, toc):
    html = html_of(published, lang)
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


def test_html_is_self_contained_and_runs_nothing(published):
    for lang in ("fr", "en"):
        html = html_of(published, lang)
        tags = elements(html)
        assert not [attrs for tag, attrs in tags if tag == "script"]
        assert not [
            attrs for tag, attrs in tags if tag == "link" and attrs.get("rel") == "stylesheet"
        ]
        fetched = [attrs for tag, attrs in tags if tag in ("img", "iframe", "video", "audio")]
        assert fetched == [] and html.count("<svg") == 10  # inline vector: desk and phone layouts
        assert "@import" not in html and "url(http" not in html
        assert "check_parameters" not in html  # no code input
        assert "Analyst note" not in html


def test_every_chart_has_alt_text_and_a_caption(published):
    html = html_of(published, "fr")
    # a chart whose marks link to sources is a named group (an image could hold no links)
    charts = [attrs for _, attrs in elements(html) if "chart" in attrs.get("class", "").split()]
    assert len(charts) == 5
    assert all(len(attrs.get("aria-label", "")) > 40 for attrs in charts)
    assert html.count("<figcaption>") == 5


def visible_prose(html: str) -> str:
    """The report's own words: quotes, cited titles, the source list and markup taken out."""
    body = html.split("<body", 1)[1]
    body = re.sub(r"<style.*?</style>", " ", body, flags=re.S)
    body = re.sub(r'<ol class="sources">.*?</ol>', " ", body, flags=re.S)
    body = re.sub(r"<q [^>]*>.*?</q>|<cite [^>]*>.*?</cite>", " ", body, flags=re.S)
    body = re.sub(r"“[^”]*”|«[^»]*»", " ", body)  # words quoted in their own language
    body = re.sub(r"<svg.*?</svg>", " ", body, flags=re.S)  # chart words: tested with the charts
    body = re.sub(r'<div [^>]*aria-label="([^"]*)"[^>]*>', r" \1 ", body)
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


def test_no_english_in_the_french_report_and_no_french_in_the_english_one(published):
    french = visible_prose(html_of(published, "fr"))
    english = visible_prose(html_of(published, "en"))
    assert [word for word in ENGLISH_TELLTALES if word in french] == []
    assert [word for word in FRENCH_TELLTALES if word in english] == []


def test_pdf_is_a4_paginated_and_in_its_language(published):
    for lang, own, other in (("fr", "Chronologie", "Timeline"), ("en", "Timeline", "Chronologie")):
        reader = PdfReader(published / f"report-{lang}.pdf")
        assert 5 <= len(reader.pages) <= 40
        assert all(
            float(page.mediabox.width) == pytest.approx(595.3, abs=1.5) for page in reader.pages
        )
        text = " ".join(page.extract_text() for page in reader.pages)
        assert own in text and other not in text
        assert f"1 / {len(reader.pages)}" in text
    french = " ".join(page.extract_text() for page in PdfReader(published / "report-fr.pdf").pages)
    assert (
        "Données arrêtées au" in french and "«\u202f40 millions de dollars volés\u202f»" in french
    )


def test_identical_inputs_give_an_identical_html(published, tmp_path):
    build.build(["report-en"], reports_dir=tmp_path, log=lambda message: None)
    assert (tmp_path / "report-en.html").read_bytes() == (published / "report-en.html").read_bytes()


@pytest.mark.parametrize("size", [1, 3, 4, 2000])
def test_the_facts_digest_made_in_slices_is_the_text_json_writes(size):
    import json

    document = {
        "positions": {f"p{n}": n % 5 - 2 for n in range(12)},  # 12: a multiple of 3 and 4
        "amounts": {
            "a-é": [1.5e9, None, "at least"],
            "a-z": [0.0, 2.0, ""],
            "a-0": [3.0, None, "«x»"],
        },
        "events": {},
        "empty": {"only": "one"},
    }
    assert build.json_in_slices(document, size) == json.dumps(document, sort_keys=True)
