"""Sections and the whole page rendered to HTML by Jinja2 templates, autoescaped.

Every text reaches the HTML through a template variable, which Jinja escapes: markup in the data
shows as text by construction. Figures are embedded as PNG data addresses with their alt text.
"""

import functools
import io
import os
import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateNotFound
from markupsafe import Markup

from helpers.i18n import label
from helpers.report.section import FigureSpec, Section
from helpers.style import HOUSE_STYLE
from helpers.typography import typeset

if TYPE_CHECKING:
    from helpers.report.edition import Edition

TEMPLATES = Path(__file__).with_name("templates")


@functools.cache
def environment(lang: str = "en") -> Environment:
    """The templates' environment for `lang`: autoescape on for every template, undefined names
    fail, and every text value typeset for the language (rendered HTML is left as it is)."""

    def finalize(value: object) -> object:
        return (
            typeset(value, lang)
            if isinstance(value, str) and not isinstance(value, Markup)
            else value
        )

    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        finalize=finalize,
    )


_TAG_ID = re.compile(r'(<[^<>]*?\s)id="([^"]+)"')
_REFERENCE = re.compile(r'((?:url\(|href=")\s*)#([^)"]+)')
SVG_SETTINGS = {"svg.fonttype": "none"}  # text stays text: sharp, searchable, light


def svg_markup(spec: FigureSpec, name: str, lang: str | None = None) -> Markup:
    """The chart as inline SVG, vector on screen and in the PDF. Identical charts give identical
    bytes (no date; ids salted by `name`, so two charts of a page never share an id). Text from
    the data is escaped by matplotlib's SVG writer. Under `ai-war preview`, a chart drawn before
    from the same content is read from its figure cache instead (the same bytes)."""
    cached = _figure_cache_file(spec, name, lang or "")
    if cached is not None and cached.is_file():
        os.utime(cached)  # recently used: kept when the preview prunes its cache
        return Markup(cached.read_text(encoding="utf-8"))
    svg = _drawn_svg(spec, name, lang)
    if cached is not None:
        partial = cached.with_name(f".{cached.name}.{os.getpid()}.tmp")
        partial.write_text(svg, encoding="utf-8")
        os.replace(partial, cached)
    return Markup(svg)  # matplotlib's SVG writer escaped every text of the data


def _figure_cache_file(spec: FigureSpec, name: str, lang: str) -> Path | None:
    """Where the preview keeps this chart by content key; None outside the preview, or when the
    chart's content cannot be keyed (it is drawn then)."""
    from helpers.paths import FIGURE_CACHE_DIR

    if FIGURE_CACHE_DIR is None:
        return None
    from helpers.report.figure_key import Unkeyable, figure_key

    try:
        key = figure_key(spec.draw, spec.size, name, lang)
    except Unkeyable:
        return None
    FIGURE_CACHE_DIR.mkdir(parents=True, exist_ok=True)
    return FIGURE_CACHE_DIR / f"{key}.svg"


def _drawn_svg(spec: FigureSpec, name: str, lang: str | None) -> str:
    settings = {**SVG_SETTINGS, "svg.hashsalt": f"ai-war-{name}"}
    with plt.style.context(HOUSE_STYLE), plt.rc_context(settings):
        figure = spec.render(lang)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    # matplotlib numbers its ids in each figure (patch_1, ...): prefix them, and what points at
    # them, inside tags only, so that every id of the page stays unique
    seen: dict[str, int] = {}

    def unique(match: re.Match) -> str:  # a gid set on many marks (for tests) is repeated
        ident = match.group(2)
        seen[ident] = seen.get(ident, 0) + 1
        suffix = f"-{seen[ident]}" if seen[ident] > 1 else ""
        return f'{match.group(1)}id="{name}-{ident}{suffix}"'

    svg = _TAG_ID.sub(unique, svg)
    return _REFERENCE.sub(lambda m: f"{m.group(1)}#{name}-{m.group(2)}", svg)


def _texts(lang: str):
    """`t(key, **values)`: the catalogue's text in `lang`, for templates."""
    return lambda key, **values: label(key, lang, **values)


def render_section(section: Section) -> Markup:
    """The section as HTML, through its own template (`sections/<key>.html.j2`)."""
    env = environment(section.lang)
    try:
        template = env.get_template(f"sections/{section.key}.html.j2")
    except TemplateNotFound:
        raise LookupError(
            f"section {section.key!r} has no template sections/{section.key}.html.j2"
        ) from None
    image = svg_markup(section.chart, section.key, section.lang) if section.chart else ""
    return Markup(template.render(section=section, image=image, t=_texts(section.lang)))


def render_page(edition: "Edition", sections: Sequence[Section]) -> str:
    """The whole report as one HTML document: header, table of contents, every section."""
    template = environment(edition.lang).get_template("page.html.j2")
    return template.render(edition=edition, sections=sections, t=_texts(edition.lang))


def render_header(edition: "Edition") -> Markup:
    """The report's title, standfirst and edition line, as the notebook shows them."""
    template = environment(edition.lang).get_template("header.html.j2")
    return Markup(template.render(edition=edition, t=_texts(edition.lang)))
