"""Sections and the whole page rendered to HTML by Jinja2 templates, autoescaped.

Every text reaches the HTML through a template variable, which Jinja escapes: markup in the data
shows as text by construction. Figures are inline SVG (text kept as text, minified): a chart with
a phone layout is written twice, its desk SVG then its phone one, and report.css shows one.
"""

import contextlib
import functools
import io
import os
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateNotFound
from markupsafe import Markup
from matplotlib.backends.backend_svg import RendererSVG

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


SVG_SETTINGS = {"svg.fonttype": "none"}  # text stays text: sharp, searchable, light
CHART_FONT = "font-family: 'DejaVu Sans', 'Liberation Sans', 'Arial', sans-serif"  # house style
_TAG = re.compile(r"<[^<>]+>")
_ID = re.compile(r'\sid="([^"]+)"')
_REFERENCE = re.compile(r'((?:url\(|href=")\s*)#([^)"]+)')
_AUTO_ID = re.compile(r"[A-Za-z][\w.]*_\d+")  # matplotlib's own group ids: figure_1, line2d_7
_GEOMETRY = re.compile(r'(\s(?:d|x|y|width|height|viewBox|transform|points|style)=")([^"]*)"')
_DECIMALS = re.compile(r"-?\d+\.\d{2,}")
_STYLE = re.compile(r'\sstyle="([^"]*)"')
_UNROTATED = re.compile(r'\stransform="rotate\(-?0 [-\d.]+ [-\d.]+\)"')


def _rounded(match: re.Match) -> str:
    """A coordinate to 1 decimal, trailing zeros dropped: a tenth of a point (0.035 mm) is not
    seen on paper nor on a screen, where a chart is drawn at most 1.6 px a point."""
    text = f"{float(match.group(0)):.1f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _geometry(match: re.Match) -> str:
    name, value = match.group(1), _DECIMALS.sub(_rounded, match.group(2))
    if name.strip() == 'd="':  # path data: 'M 0 1.5 \nL 2 3' -> 'M0 1.5L2 3'
        value = re.sub(r" ?([A-Za-z]) ?", r"\1", " ".join(value.split()))
    elif name.strip() == 'style="':  # 'fill: none; stroke: #555555' -> 'fill:none;stroke:#555'
        value = re.sub(r"([:;,]) ", r"\1", value)
        value = re.sub(r"#([0-9a-f])\1([0-9a-f])\2([0-9a-f])\3\b", r"#\1\2\3", value)
    return f'{name}{value}"'


_GROUP = re.compile(r"<g(?:\s[^>]*)?>|</g>")


def _without_bare_groups(svg: str) -> str:
    """The SVG without its `<g>` wrappers that carry no attribute (their content stays)."""
    bare: list[bool] = []

    def tag(match: re.Match) -> str:
        if match.group(0) == "</g>":
            return "" if bare.pop() else "</g>"
        bare.append(match.group(0) == "<g>")
        return "" if bare[-1] else match.group(0)

    return _GROUP.sub(tag, svg)


def minify_svg(svg: str, name: str) -> str:
    """Matplotlib's SVG made small and fit for a page holding many: no metadata, coordinates to
    1 decimal, no whitespace between tags, no group without attributes, no unrotated rotation,
    the house font family said once (in the chart's style element) instead of on every text,
    a style that several elements share said once, as a class (see `_styles_as_classes`),
    `href` for `xlink:href`,
    matplotlib's group ids dropped and every id that is pointed at renamed `<name>-<n>` in order
    of appearance; a mark's link opens in the page, not in a new tab, and is left out of the
    keyboard's order (the chart is one image to assistive technology, named by its alt text;
    its caption's citations lead to the same sources). Ids set by the
    charts (gids) stay, prefixed `<name>-` and made unique. Links out of the chart (a mark's
    citation, `#src-...`) are left as they are. The same SVG always gives the same bytes."""
    svg = re.sub(r"<metadata>.*?</metadata>", "", svg, flags=re.S)
    svg = re.sub(r">\s+<", "><", svg).strip()
    tags = _TAG.findall(svg)  # the text of a label (escaped, so without < or >) is never touched
    defined = [ident for tag in tags for ident in _ID.findall(tag)]
    pointed = {target for tag in tags for _, target in _REFERENCE.findall(tag)}
    in_order = dict.fromkeys(ident for ident in defined if ident in pointed)
    renamed = {ident: f"{name}-{n}" for n, ident in enumerate(in_order, start=1)}
    seen: dict[str, int] = {}

    def identify(match: re.Match) -> str:
        ident = match.group(1)
        if ident in renamed:
            return f' id="{renamed[ident]}"'
        if _AUTO_ID.fullmatch(ident):
            return ""
        seen[ident] = seen.get(ident, 0) + 1  # a gid set on many marks (for tests) is repeated
        suffix = f"-{seen[ident]}" if seen[ident] > 1 else ""
        return f' id="{name}-{ident}{suffix}"'

    def tag(match: re.Match) -> str:
        text = match.group(0).replace(f"; {CHART_FONT}", "").replace(f"{CHART_FONT}; ", "")
        text = _ID.sub(identify, text).replace(' target="_blank"', ' tabindex="-1"')
        text = _REFERENCE.sub(lambda m: f"{m.group(1)}#{renamed.get(m.group(2), m.group(2))}", text)
        return _UNROTATED.sub("", _GEOMETRY.sub(_geometry, text))

    svg = _without_bare_groups(_TAG.sub(tag, svg)).replace(
        '<style type="text/css">*{', f'<style type="text/css">text{{{CHART_FONT}}}*{{', 1
    )
    # SVG 2's plain href, which every current browser reads, in place of xlink:href
    svg = svg.replace(' xmlns:xlink="http://www.w3.org/1999/xlink"', "", 1)
    return _styles_as_classes(
        _TAG.sub(lambda m: m.group(0).replace(" xlink:href=", " href="), svg), name
    )


def _styles_as_classes(svg: str, name: str) -> str:
    """Each style attribute that several elements share replaced by a class (`s0`, `s1`, ... in
    order of first use), its rule scoped to this chart's root, given the id `<name>-svg`. The
    rule applies as the attribute did: nothing else of the page styles these elements."""
    counts = Counter(style for tag in _TAG.findall(svg) for style in _STYLE.findall(tag))
    classes = {style: f"s{n}" for n, style in enumerate(s for s, c in counts.items() if c > 1)}
    if not classes:
        return svg

    def tag(match: re.Match) -> str:
        return _STYLE.sub(
            lambda m: f' class="{classes[m.group(1)]}"' if m.group(1) in classes else m.group(0),
            match.group(0),
        )

    svg = _TAG.sub(tag, svg).replace("<svg ", f'<svg id="{name}-svg" ', 1)
    rules = "".join(f"#{name}-svg .{c}{{{style}}}" for style, c in classes.items())
    return svg.replace('<style type="text/css">', f'<style type="text/css">{rules}', 1)


def svg_markup(spec: FigureSpec, name: str, lang: str | None = None, layout: str = "") -> Markup:
    """The chart as inline SVG, vector on screen and in the PDF. Identical charts give identical
    bytes (no date; ids salted by `name`, so two charts of a page never share an id). Text from
    the data is escaped by matplotlib's SVG writer. `layout` names a class of the root element
    (`chart-<layout>`), by which report.css shows the desk or the phone layout. Under
    `ai-war preview`, a chart drawn before from the same content is read from its figure cache
    instead (the same bytes)."""
    cached = _figure_cache_file(spec, name, lang or "")
    if cached is not None and cached.is_file():
        os.utime(cached)  # recently used: kept when the preview prunes its cache
        svg = cached.read_text(encoding="utf-8")
    else:
        svg = _drawn_svg(spec, name, lang)
        if cached is not None:
            partial = cached.with_name(f".{cached.name}.{os.getpid()}.tmp")
            partial.write_text(svg, encoding="utf-8")
            os.replace(partial, cached)
    if layout:
        svg = svg.replace("<svg ", f'<svg class="chart-{layout}" ', 1)
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
    with plt.style.context(HOUSE_STYLE), plt.rc_context(settings), _svg_text_measured_once():
        figure = spec.render(lang)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = minify_svg(buffer.getvalue()[buffer.getvalue().index("<svg") :], name)
    # named by its container's alt text: its words and marks are not read out one by one
    return svg.replace("<svg ", '<svg aria-hidden="true" ', 1)


@contextlib.contextmanager
def _svg_text_measured_once() -> Iterator[None]:
    """While one chart is saved as SVG, each text is measured once: matplotlib's `savefig`
    makes three SVG renderers (one for the constrained layout, one for the dry run that finds
    the tight bounding box, one that writes), and caches text metrics per renderer, so every
    label was measured three times. An SVG renderer's measure is a pure function of the text,
    its font properties and whether it is mathtext (outlines at a fixed scale, no hinting, no
    dpi), so the three share one answer. The memo lives for one chart, in one thread (a
    kernel's), like `section._typesetting`."""
    measure = RendererSVG.get_text_width_height_descent
    known: dict = {}

    def measured_once(renderer: RendererSVG, s: str, prop, ismath) -> tuple:
        key = (s, prop.copy(), ismath)  # a copy: FontProperties hashes its mutable state
        if key not in known:
            known[key] = measure(renderer, s, prop, ismath)
        return known[key]

    RendererSVG.get_text_width_height_descent = measured_once
    try:
        yield
    finally:
        RendererSVG.get_text_width_height_descent = measure


def chart_markup(spec: FigureSpec, name: str, lang: str | None = None) -> Markup:
    """The chart's SVG; with a phone layout, the desk one then the phone one (report.css shows
    the phone one on narrow screens only, and prints the desk one)."""
    narrow = spec.narrowed()
    if narrow is None:
        return svg_markup(spec, name, lang)
    return svg_markup(spec, name, lang, "desk") + svg_markup(narrow, f"{name}-phone", lang, "phone")


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
    image = chart_markup(section.chart, section.key, section.lang) if section.chart else ""
    return Markup(template.render(section=section, image=image, t=_texts(section.lang)))


def render_page(edition: "Edition", sections: Sequence[Section]) -> str:
    """The whole report as one HTML document: header, table of contents, every section."""
    template = environment(edition.lang).get_template("page.html.j2")
    return template.render(edition=edition, sections=sections, t=_texts(edition.lang))


def render_header(edition: "Edition") -> Markup:
    """The report's title, standfirst and edition line, as the notebook shows them."""
    template = environment(edition.lang).get_template("header.html.j2")
    return Markup(template.render(edition=edition, t=_texts(edition.lang)))
