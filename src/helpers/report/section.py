"""A section of the report as a value: its heading, prose, figure, table and sources.

Section modules (`helpers.report.sections`) build these from an edition's facts; templates turn
them into HTML. In a notebook a section shows itself (`_repr_html_`), its table is a DataFrame and
`figure()` draws its chart as a Matplotlib figure to restyle.
"""

import contextlib
import dataclasses
import functools
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import Formatter

from helpers.report.prose import Prose
from helpers.style import HOUSE_STYLE
from helpers.typography import typeset


@dataclass(frozen=True)
class FigureSpec:
    """A chart to draw: a function of an `Axes`, its size, caption, alt text and sources; and
    optionally the same chart laid out for a phone (`narrow_draw`, `narrow_size`)."""

    draw: Callable[[Axes], Axes] = field(repr=False)
    size: tuple[float, float]  # inches
    caption: str
    alt: str
    note: Prose = ()  # 'Sources: [1], [4].'
    narrow_draw: Callable[[Axes], Axes] | None = field(default=None, repr=False)
    narrow_size: tuple[float, float] | None = None  # inches: charts.NARROW_WIDTH wide

    def narrowed(self) -> "FigureSpec | None":
        """The chart laid out for a phone, with the same caption and alt text; None without."""
        if self.narrow_draw is None or self.narrow_size is None:
            return None
        return dataclasses.replace(
            self, draw=self.narrow_draw, size=self.narrow_size, narrow_draw=None, narrow_size=None
        )

    def render(self, lang: str | None = None) -> Figure:
        """A new figure, drawn in the house style; its words typeset for `lang` when given."""
        with plt.style.context(HOUSE_STYLE), _typesetting(lang):
            figure = Figure(figsize=self.size)
            FigureCanvasAgg(figure)  # a canvas that can measure text (label spacing needs it)
            self.draw(figure.subplots())
        if lang:  # tick labels are written again at each draw, from their formatter
            for ax in figure.axes:
                for axis in (ax.xaxis, ax.yaxis):
                    axis.set_major_formatter(TypesetFormatter(axis.get_major_formatter(), lang))
                    axis.set_minor_formatter(TypesetFormatter(axis.get_minor_formatter(), lang))
        return figure


@contextlib.contextmanager
def _typesetting(lang: str | None) -> Iterator[None]:
    """While a chart is drawn, every text it is given is typeset for `lang` as it is set (words
    from the data too: the apostrophe, French spaces before : ; ? ! and inside « »), so a label
    is measured, spaced and drawn as the reader sees it. Charts are drawn one at a time, in one
    thread (a kernel's), which is why the class's method can be swapped for the drawing."""
    if not lang:
        yield
        return
    plain = Text.set_text

    def set_text(text: Text, s: object) -> None:
        plain(text, typeset("" if s is None else str(s), lang))

    Text.set_text = set_text
    try:
        yield
    finally:
        Text.set_text = plain


class TypesetFormatter(Formatter):
    """A tick formatter whose labels are typeset for `lang` (tick labels are set again from the
    formatter each time the figure is drawn, after `FigureSpec.render` has returned)."""

    def __init__(self, inner: Formatter, lang: str) -> None:
        self.inner = inner.inner if isinstance(inner, TypesetFormatter) else inner
        self.lang = lang

    def set_axis(self, axis) -> None:
        super().set_axis(axis)
        self.inner.set_axis(axis)

    def __call__(self, x: float, pos: int | None = None) -> str:
        return typeset(self.inner(x, pos), self.lang)

    def format_ticks(self, values) -> list[str]:
        return [typeset(text, self.lang) for text in self.inner.format_ticks(values)]

    def format_data(self, value: float) -> str:
        return typeset(self.inner.format_data(value), self.lang)

    def format_data_short(self, value: float) -> str:
        return typeset(self.inner.format_data_short(value), self.lang)

    def get_offset(self) -> str:
        return typeset(self.inner.get_offset(), self.lang)

    def set_locs(self, locs) -> None:
        self.inner.set_locs(locs)


@dataclass(frozen=True)
class Section:
    """One section of one edition; `number` is its figure's number, set by the section order."""

    key: str  # catalogue group, template name and anchor
    lang: str
    heading: str = ""
    intro: str = ""
    paragraphs: tuple[Prose, ...] = ()
    items: tuple[Prose, ...] = ()  # a bulleted list
    chart: FigureSpec | None = None
    table: pd.DataFrame | None = field(default=None, repr=False)
    sources: tuple[str, ...] = ()  # ids of the sources the section draws on
    extra: Mapping[str, object] = field(default_factory=dict, repr=False)  # for its template
    number: int | None = None

    def figure(self) -> Figure | None:
        """The section's chart as a new Matplotlib figure, or None when it has none."""
        return self.chart.render(self.lang) if self.chart else None

    @functools.cached_property
    def html(self) -> str:
        """The section as HTML, through its template; rendered once."""
        from helpers.report.render import render_section  # the renderer imports this module

        return render_section(self)

    def _repr_html_(self) -> str:
        return self.html
