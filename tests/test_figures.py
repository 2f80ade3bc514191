"""The charts as a reader gets them in the page: inline SVG, small, and marks linked to sources."""

import html
import re

import matplotlib.pyplot as plt
import pytest
from legibility import assert_legible

from helpers.charts import NARROW_WIDTH
from helpers.report import open_edition
from helpers.report.render import minify_svg
from helpers.report.section import FigureSpec
from helpers.style import HOUSE_STYLE

CHARTS = ("timeline", "money", "courts", "positions", "relations")


@pytest.fixture(scope="module")
def editions():
    return {lang: open_edition(lang=lang) for lang in ("fr", "en")}


@pytest.fixture(scope="module")
def pages(editions):
    return {lang: edition.page().html for lang, edition in editions.items()}


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("key", CHARTS)
def test_each_chart_has_a_phone_layout_as_legible_as_the_desk_one(editions, key, lang):
    """Drawn NARROW_WIDTH wide, no word under 7 pt, outside the figure or touching another (the
    timeline's leader lines too); nothing drawn past the edge, which would shrink the chart."""
    spec = editions[lang].section(key).chart.narrowed()
    assert spec is not None and spec.size[0] == NARROW_WIDTH
    with plt.style.context(HOUSE_STYLE):
        figure = spec.render(lang)
        figure.canvas.draw()
        assert_legible(figure)
        drawn = figure.get_tightbbox(figure.canvas.get_renderer())
    assert drawn.width <= NARROW_WIDTH


def charts_of(html: str) -> dict[str, list[str]]:
    """Each section's SVG charts, by section id."""
    found = {}
    for key in CHARTS:
        body = re.search(rf'<section class="[^"]*section-{key}".*?</section>', html, re.S)
        assert body, key
        found[key] = re.findall(r"<svg.*?</svg>", body.group(0), re.S)
    return found


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_mark_links_to_its_source_in_the_list_of_sources(pages, lang):
    html = pages[lang]
    ids = set(re.findall(r'\sid="([^"]+)"', html))
    sources = set(re.findall(r'<li id="(src-[^"]+)"', html))
    for key, svgs in charts_of(html).items():
        for svg in svgs:
            targets = re.findall(r'<a href="#([^"]+)"', svg)
            assert set(targets) <= sources, key  # every link lands on a listed source
            if key in ("timeline", "money", "courts", "positions"):
                assert len(targets) >= 10, key  # its events, amounts, steps or stances
            internal = re.findall(r'(?:url\(|<use href=")#([^)"]+)', svg)
            assert set(internal) <= ids, key  # clip paths and markers still found
    assert len(ids) == len(re.findall(r'\sid="', html))  # no id twice on the page


STANCE_DOT = re.compile(  # a stance's dot: its group, named by the chart's gid
    r'<g id="positions(?:-phone)?-stance[+-]?\d(?:-attributed)?(?:-\d+)?">(.*?)</g>'
)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_each_stance_dot_links_to_its_source_in_both_layouts(editions, pages, lang):
    """A reader clicks a stance, stated or attributed, dated or not, and lands on the source of
    that statement in the list of sources, on the desk and the phone layout alike."""
    sources = set(re.findall(r'<li id="src-([^"]+)"', pages[lang]))
    positions = editions[lang].context.facts["positions"]
    desk, phone = charts_of(pages[lang])["positions"]
    for svg in (desk, phone):
        dots = STANCE_DOT.findall(svg)
        assert len(dots) >= 20 and re.search(r"-stance[+-]?\d-attributed", svg)  # rings too
        links = [re.findall(r'<a href="#src-([^"]+)"', dot) for dot in dots]
        assert all(len(link) == 1 for link in links)  # every dot is one link
        linked = {link[0] for link in links}
        assert linked <= sources and linked <= set(positions["source_id"])
        assert len(linked) >= 10  # the stances' own sources, not one for all
    assert len(STANCE_DOT.findall(desk)) == len(STANCE_DOT.findall(phone))  # the same dots


def test_minified_svg_keeps_what_is_pointed_at_and_drops_the_rest():
    svg = (
        '<svg viewBox="0 0 10.123456 5">\n<metadata>x</metadata>\n<defs><style type="text/css">'
        '*{stroke-linejoin: round}</style></defs>\n<g id="figure_1">\n'
        '<g id="patch_1"><path d="M 0 1.23456 \nL 2.5 3 \nz" clip-path="url(#p1a2b)"'
        ' style="fill: #ffffff; stroke-width: 0.6"/></g>\n<g id="mark"><g>'
        '<a xlink:href="#src-cnbc" target="_blank"><text x="1.004" y="2"'
        " style=\"font-size: 7px; font-family: 'DejaVu Sans', 'Liberation Sans', 'Arial',"
        ' sans-serif; fill: #333" transform="rotate(-0 1.004 2)">x id="patch_1" 1.23456</text>'
        '</a></g></g>\n<g id="mark"><path d="M 1 1" style="fill: #ffffff; stroke-width: 0.6"/></g>'
        '</g>\n<defs><clipPath id="p1a2b"><rect x="0"/></clipPath></defs></svg>'
    )
    small = minify_svg(svg, "money")
    assert small == (
        '<svg id="money-svg" viewBox="0 0 10.1 5"><defs><style type="text/css">'
        "#money-svg .s0{fill:#fff;stroke-width:0.6}text{font-family: 'DejaVu Sans', "
        "'Liberation Sans', 'Arial', sans-serif}*{stroke-linejoin: round}</style></defs>"
        '<path d="M0 1.2L2.5 3z" clip-path="url(#money-1)" class="s0"/><g id="money-mark">'
        '<a href="#src-cnbc" tabindex="-1"><text x="1" y="2" style="font-size:7px;fill:#333">'
        'x id="patch_1" 1.23456</text></a></g><g id="money-mark-2"><path d="M1 1" class="s0"/>'
        '</g><defs><clipPath id="money-1"><rect x="0"/></clipPath></defs></svg>'
    )
    assert minify_svg(svg, "money") == small  # the same bytes every time


def chart_words(page: str) -> list[str]:
    """Every line of text of every chart SVG of a page, as a reader sees it (unescaped)."""
    return [
        html.unescape(re.sub(r"<[^>]+>", "", text))
        for svg in re.findall(r"<svg.*?</svg>", page, re.S)
        for text in re.findall(r"<text\b[^>]*>(.*?)</text>", svg, re.S)
    ]


# French: U+00A0 before a colon, U+202F before ; ! ? and inside « »; no line starting with one
MISSPACED_FRENCH = re.compile(
    r"[ \u00a0][;!?]|[ \u202f]:|[^\W\d][:;!?]|«(?!\u202f)|(?<!\u202f)»|^\s*[:;!?»]|«\s*$"
)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_word_of_every_chart_of_a_built_edition_is_typeset(published, lang):
    """Desk and phone layouts alike: labels from the data (case names, tick labels, notes) show
    the apostrophe (U+2019), never a straight one; in French the spaces before : ; ? ! and
    inside « » are no-break and none of these signs starts a line."""
    page = (published / f"report-{lang}.html").read_text(encoding="utf-8")
    words = chart_words(page)
    assert len(re.findall(r"<svg\b", page)) == 10 and len(words) > 500
    assert [w for w in words if "'" in w] == []
    assert any("\u2019" in w for w in words)  # the data's apostrophes are there, typeset
    if lang == "fr":
        assert [w for w in words if MISSPACED_FRENCH.search(w)] == []


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_chart_measures_its_labels_as_typeset(lang):
    """A chart that spaces its labels by measuring them sees the text the reader will see: an
    annotation and a tick label are typeset as they are set, and stay so when drawn again."""
    seen = {}

    def draw(ax):
        ax.set_yticks([0, 1], ["l'État de Californie", "OpenAI's board"])
        note = ax.annotate("Motif : « l'intérêt général » ?", (0.5, 0.5))
        ax.figure.draw_without_rendering()
        seen["note"] = note.get_text()
        seen["ticks"] = [t.get_text() for t in ax.get_yticklabels()]
        return ax

    spec = FigureSpec(draw=draw, size=(3, 2), caption="", alt="")
    figure = spec.render(lang)
    french = "Motif\u00a0: «\u202fl\u2019intérêt général\u202f»\u202f?"
    assert seen["note"] == (french if lang == "fr" else "Motif : « l\u2019intérêt général » ?")
    typeset_ticks = ["l\u2019État de Californie", "OpenAI\u2019s board"]
    assert seen["ticks"] == typeset_ticks
    figure.draw_without_rendering()  # tick labels are written again from their formatter
    assert [t.get_text() for t in figure.axes[0].get_yticklabels()] == typeset_ticks
    assert FigureSpec(draw=draw, size=(3, 2), caption="", alt="").render(None) is not None
    assert seen["ticks"] == ["l'État de Californie", "OpenAI's board"]  # no language, as given
