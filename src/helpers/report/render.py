"""Sections and the whole page rendered to HTML by Jinja2 templates, autoescaped.

Every text reaches the HTML through a template variable, which Jinja escapes: markup in the data
shows as text by construction. Figures are embedded as PNG data addresses with their alt text.
"""

import base64
import functools
import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateNotFound
from markupsafe import Markup

from helpers.i18n import label
from helpers.report.section import FigureSpec, Section
from helpers.style import HOUSE_STYLE

if TYPE_CHECKING:
    from helpers.report.edition import Edition

TEMPLATES = Path(__file__).with_name("templates")
PNG_DPI = 150  # 1000 pixels across the A4 text width: sharp in print, light in the page


@functools.cache
def environment() -> Environment:
    """The templates' environment: autoescape on for every template, undefined names fail."""
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
    )


def png_data(spec: FigureSpec) -> str:
    """The chart as a PNG data address; identical charts give identical bytes (no timestamp)."""
    figure = spec.render()
    buffer = io.BytesIO()
    with plt.style.context(HOUSE_STYLE):
        figure.savefig(buffer, format="png", dpi=PNG_DPI, metadata={"Software": None})
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _texts(lang: str):
    """`t(key, **values)`: the catalogue's text in `lang`, for templates."""
    return lambda key, **values: label(key, lang, **values)


def render_section(section: Section) -> Markup:
    """The section as HTML, through its own template (`sections/<key>.html.j2`)."""
    env = environment()
    try:
        template = env.get_template(f"sections/{section.key}.html.j2")
    except TemplateNotFound:
        raise LookupError(
            f"section {section.key!r} has no template sections/{section.key}.html.j2"
        ) from None
    image = png_data(section.chart) if section.chart else ""
    return Markup(template.render(section=section, image=image, t=_texts(section.lang)))


def render_page(edition: "Edition", sections: Sequence[Section]) -> str:
    """The whole report as one HTML document: header, table of contents, every section."""
    template = environment().get_template("page.html.j2")
    return template.render(edition=edition, sections=sections, t=_texts(edition.lang))


def render_header(edition: "Edition") -> Markup:
    """The report's title, standfirst and edition line, as the notebook shows them."""
    template = environment().get_template("header.html.j2")
    return Markup(template.render(edition=edition, t=_texts(edition.lang)))
