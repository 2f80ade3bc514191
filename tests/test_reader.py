"""What readers get: each published report in a real browser, and its PDF, as they meet them."""

import html
import re
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from browsing import chromium, visit
from pdfpages import empty_below, fonts_used, image_boxes, outline_titles, section_starts
from PIL import Image
from pypdf import PdfReader

from helpers.report import open_edition

LANGS = ["fr", "en"]
FIGURES = 5  # timeline, money, courts, positions, ties
# Words the French report is bound to contain: accents, cedilla and French quotation marks.
FRENCH_WORDS = ("Données arrêtées au", "Affirmations contestées", "à", "en français", "«", "»")
BLOCKING_IMPACTS = {"serious", "critical"}


@pytest.fixture(scope="module")
def browser():
    with chromium() as running:
        yield running


def blocking_violations(results: dict) -> list[str]:
    return [
        f"{v['impact']} {v['id']}: {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in results["violations"]
        if v["impact"] in BLOCKING_IMPACTS
    ]


@pytest.mark.parametrize("lang", LANGS)
def test_the_html_report_loads_whole_and_self_contained(published, browser, lang):
    with visit(browser, published / f"report-{lang}.html") as seen:
        assert seen.page.evaluate("document.documentElement.lang") == lang
        assert seen.console_errors == []
        assert seen.requests_elsewhere() == []
        charts = seen.drawn_charts()
        assert len(charts) == FIGURES
        assert all(chart["width"] > 0 and chart["texts"] > 0 for chart in charts), charts
        assert all(len(chart["label"]) > 40 for chart in charts)  # it says what a chart shows
        assert seen.decoded_images() == []  # no bitmap: the charts are vector
        assert seen.page.locator("script").count() == 0  # the report runs nothing


@pytest.mark.parametrize("lang", LANGS)
def test_every_table_of_contents_link_lands_on_its_section(published, browser, lang):
    with visit(browser, published / f"report-{lang}.html", width=900) as seen:
        page = seen.page
        ids = page.evaluate("[...document.querySelectorAll('[id]')].map(e => e.id)")
        assert len(ids) == len(set(ids)), "an anchor is defined twice"
        links = page.locator("nav.toc a")
        hrefs = links.evaluate_all("links => links.map(a => a.getAttribute('href'))")
        sections = page.evaluate("[...document.querySelectorAll('h2[id]')].map(h => '#' + h.id)")
        assert hrefs == sections and len(hrefs) >= 7
        for number, href in enumerate(hrefs):
            page.evaluate("window.scrollTo(0, 0)")
            links.nth(number).click()
            assert page.evaluate("location.hash") == href
            top = page.evaluate(f"document.querySelector('{href}').getBoundingClientRect().top")
            assert -1 <= top < page.viewport_size["height"] / 2, (href, top)  # sub-pixel scroll


@pytest.mark.parametrize("lang", LANGS)
def test_lines_of_text_on_a_desk_screen_hold_65_to_75_characters(published, browser, lang):
    with visit(browser, published / f"report-{lang}.html", width=1280) as seen:
        lengths = sorted(seen.line_lengths())
    assert len(lengths) > 100
    assert 65 <= lengths[len(lengths) // 2] <= 75  # the median line
    assert lengths[9 * len(lengths) // 10] <= 82  # and hardly a line much longer


@pytest.mark.parametrize("lang", LANGS)
def test_a_phone_reader_never_scrolls_sideways(published, browser, lang):
    with visit(browser, published / f"report-{lang}.html", width=390) as seen:
        widths = seen.page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert widths[0] <= widths[1]  # a wide table scrolls inside its own box, not the page


@pytest.mark.parametrize("lang", LANGS)
def test_a_phone_reader_reads_every_word_of_the_charts_at_11_px_or_more(published, browser, lang):
    """At 390 px each chart shows its phone layout, every word 11 px or larger as laid out, in
    the dark scheme too; on a desk screen the desk layouts (the sideways test above checks the
    phone's width)."""
    with visit(browser, published / f"report-{lang}.html", width=390) as seen:
        words = seen.chart_words()
        shown = {(word["chart"], word["layout"]) for word in words}
        assert len(shown) == FIGURES and {layout for _, layout in shown} == {"chart-phone"}
        small = [(w["chart"], w["text"], round(w["px"], 1)) for w in words if w["px"] < 11]
        assert small == []
        drawn = [w for w in words if w["text"].strip()]
        assert len(drawn) > 100 and min(word["height"] for word in drawn) >= 11
        seen.page.emulate_media(color_scheme="dark")  # the charts' light card costs no width
        assert min(word["px"] for word in seen.chart_words()) >= 11
    with visit(browser, published / f"report-{lang}.html") as seen:
        assert {word["layout"] for word in seen.chart_words()} == {"chart-desk"}


@pytest.mark.parametrize("lang", LANGS)
def test_a_full_page_screenshot_is_kept(published, browser, artifacts_dir, lang):
    shot = artifacts_dir / f"report-{lang}.png"
    shot.unlink(missing_ok=True)
    with visit(browser, published / f"report-{lang}.html") as seen:
        height = seen.page.evaluate("document.documentElement.scrollHeight")
        seen.page.screenshot(path=shot, full_page=True)
    with Image.open(shot) as image:
        assert image.size == (1280, height) and height > 5000


@pytest.mark.parametrize("page_name", ["report-fr.html", "report-en.html", "index.html"])
def test_no_serious_or_critical_accessibility_violation(published, browser, page_name):
    with visit(browser, published / page_name) as seen:
        # a report is self-contained; the index also shows the cards' pictures published beside it
        beside = re.compile(
            re.escape(published.as_uri()) + r"/report-(fr|en)\.thumb\.png\?v=\w{12}"
        )
        elsewhere = [
            url
            for url in seen.requests_elsewhere()
            if not (page_name == "index.html" and beside.fullmatch(url))
        ]
        assert seen.console_errors == [] and elsewhere == []
        if page_name == "index.html":  # both pictures shown, with their alt text
            images = seen.decoded_images()
            assert len(images) == 2 and all(i["width"] > 400 and i["alt"] for i in images)
        results = Axe().run(seen.page).response
    assert results["testEngine"]["name"] == "axe-core"
    assert len(results["passes"]) > 10  # axe did look at the page
    assert blocking_violations(results) == []


def pdf_of(published: Path, lang: str) -> PdfReader:
    return PdfReader(published / f"report-{lang}.pdf")


def html_headings(published: Path, lang: str) -> list[str]:
    """The h1 to h3 headings of the HTML report, as a reader sees their text."""
    page = (published / f"report-{lang}.html").read_text(encoding="utf-8")
    found = re.findall(r"<h([123])[^>]*>(.*?)</h\1>", page, re.DOTALL)
    markup = re.compile(r'<a class="anchor-link".*?</a>|<[^>]+>')
    return [html.unescape(markup.sub("", text)).strip() for _, text in found]


@pytest.mark.parametrize("lang", LANGS)
def test_the_pdf_has_a_sane_length_and_an_outline_of_its_sections(published, lang):
    reader = pdf_of(published, lang)
    assert 6 <= len(reader.pages) <= 40
    titles = outline_titles(reader)
    assert titles == html_headings(published, lang)  # each heading once, in order, none doubled
    assert reader.trailer["/Root"]["/Lang"] == lang
    assert reader.metadata.title == titles[0]  # what a PDF reader shows in its title bar


@pytest.mark.parametrize("lang", LANGS)
def test_no_printed_page_is_left_more_than_a_quarter_empty(published, lang):
    """Paper: a heading never ends a page with its chart overleaf, a block never leaves a hole.

    The only pages allowed to end early are the one before a top-level section and the last.
    """
    reader = pdf_of(published, lang)
    blank = empty_below(published / f"report-{lang}.pdf")
    allowed = {page - 1 for page in section_starts(reader)} | {len(blank) - 1}
    holes = {
        n + 1: f"{share:.0%}" for n, share in enumerate(blank) if n not in allowed and share > 0.27
    }
    assert holes == {}


def test_french_text_comes_out_of_the_pdf_intact(published):
    text = " ".join(" ".join(page.extract_text() for page in pdf_of(published, "fr").pages).split())
    for words in FRENCH_WORDS:
        assert words in text
    assert "ç" in text and "é" in text
    assert "\ufffd" not in text  # no replacement character: every glyph maps back to a letter


@pytest.mark.parametrize("lang", LANGS)
def test_every_font_is_embedded(published, lang):
    fonts = fonts_used(pdf_of(published, lang))
    assert len(fonts) >= 2  # at least the text face and its bold
    assert [name for name, embedded in fonts.items() if not embedded] == []


@pytest.mark.parametrize("lang", LANGS)
def test_the_charts_are_vector_in_the_pdf_with_their_words_as_text(published, lang):
    reader = pdf_of(published, lang)
    assert [box for page in reader.pages for box in image_boxes(page)] == []  # no bitmap
    text = " ".join(page.extract_text() for page in reader.pages)
    edition = open_edition(lang=lang)
    titles = [
        section.figure().axes[0].get_title(loc="left")
        for section in edition.sections
        if section.chart
    ]
    assert len(titles) == FIGURES
    for title in titles:  # a chart's own words are text in the PDF, found by a reader's search
        assert " ".join(title.split()) in " ".join(text.split()), title
