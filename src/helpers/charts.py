"""Charts of the report: pure functions drawing data on a given `ax`, in a language, returning it.

Each takes rows already chosen by the caller (see `helpers.context`), draws every row it is given,
and labels everything in `lang`. Sizes suit a figure printed at A4 text width; `figure_height`
gives the height that keeps rows legible for a number of rows.

The overall timeline may draw on two axes: `timeline_axes(ax, zoomed)` splits the axes a
`FigureSpec` gives into an overview and a zoomed panel below, which `plot_overall_timeline` takes
as `zoom`. Direct labels (the timeline's key facts, the ties' notes) are placed by measuring them
with the renderer after layout, so none touches another at the printed size.
"""

import collections
import functools
import itertools
import math
import re
import textwrap
from collections.abc import Callable, Iterator

import matplotlib.dates as mdates
import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import FixedLocator, FuncFormatter, Locator, NullLocator
from matplotlib.transforms import offset_copy

from helpers.density import crowded, draw_strip
from helpers.i18n import (
    MONTHS,
    MONTHS_SHORT,
    NBSP,
    check_language,
    code_label,
    format_amount,
    format_date_short,
    format_money_short,
    label,
)

# Okabe-Ito colours, distinguishable with the common colour-vision deficiencies.
BLUE, ORANGE, GREEN, VERMILLION, PURPLE, SKY, YELLOW, BLACK = (
    "#0072B2",
    "#E69F00",
    "#009E73",
    "#D55E00",
    "#CC79A7",
    "#56B4E9",
    "#F0E442",
    "#000000",
)
GREY = "#8c8c8c"
LABEL_WIDTH = 38  # characters per line of a row label, so the label column stays narrow
# The phone layout of a chart: drawn this wide (inches) and shown about 360 px wide, so that its
# 7 pt text reads at 11 px or more (7 * 346 / (2.95 * 72) = 11.4 px on a 390 px screen with a
# scrollbar, 11.9 px without).
NARROW_WIDTH = 2.95
ROW_INCHES = 0.24  # height of one row of a chart, enough for two lines of 7.5 pt text


def source_link(row) -> str | None:
    """Where a mark's source is cited in the page: the anchor `src-<source_id>` of its entry in
    the list of sources (report/templates/sections/sources.html.j2); None for a row without one.
    Given to an artist as its url, it makes the mark a link in the SVG."""
    source = getattr(row, "source_id", None)
    return f"#src-{source}" if isinstance(source, str) and source else None


@functools.cache
def _row_type(fields: tuple[str, ...]) -> type:
    return collections.namedtuple("Row", fields)


def rows_of(frame: pd.DataFrame, *fields: str) -> list:
    """The rows of `frame` as named tuples of `fields` alone, each value as `itertuples` gives
    it (a date a Timestamp, a missing one NaT or NaN, a number a Python number). `itertuples`
    builds every column of the frame first: a few milliseconds a call on a fact table, called
    for each lane, track or chain of a chart."""
    make = _row_type(fields)._make
    columns = [frame[field].tolist() for field in fields]
    return [make(values) for values in zip(*columns, strict=True)]


def rows_by_chunk(frame: pd.DataFrame, size: int = 256) -> Iterator:
    """`frame.itertuples(index=False)`, built `size` rows at a time: a loop that stops early
    (a few dozen tries among thousands of candidates at scale) builds only the rows it reads."""
    for start in range(0, len(frame), size):
        yield from frame.iloc[start : start + size].itertuples(index=False)


def figure_height(rows: int, base: float = 1.3, per_row: float = ROW_INCHES) -> float:
    """Height in inches of a figure with `rows` rows of labels."""
    return base + per_row * max(rows, 1)


def wrap(text: str, width: int = LABEL_WIDTH) -> str:
    """`text` broken into lines of at most `width` characters (a longer word keeps its line)."""
    return textwrap.fill(bound(str(text)), width, break_long_words=False)  # words are never cut


_LOOSE = re.compile(r" (?=[:;!?»])|(?<=«) ")  # a space French sets before : ; ! ? » or after «


def bound(text: str) -> str:
    """`text` with the spaces that French puts before : ; ! ? » and after « made no-break, so
    that wrapping a label never starts a line with one of them ('Motif\u00a0:'); the chart's
    typesetting then gives each its width."""
    return _LOOSE.sub(NBSP, text)


class TicksPerView(Locator):
    """`inner`'s ticks, worked out once for each view of the axis. A date locator runs
    dateutil's rules each time it is asked, and the axis asks at every measure of its tick
    labels: dozens of times for one chart (its layout, the placing of its words, the tight
    bounding box, the SVG), for the one view a chart sets. Its ticks are a function of the
    view limits alone, so they are kept by view, with this locator, for its axis only."""

    def __init__(self, inner: Locator) -> None:
        self.inner = inner
        self._by_view: dict[tuple, object] = {}

    def set_axis(self, axis) -> None:
        super().set_axis(axis)
        self.inner.set_axis(axis)

    def __call__(self):
        view = tuple(self.axis.get_view_interval())
        if view not in self._by_view:
            self._by_view[view] = self.inner()
        return self._by_view[view].copy()  # a list or an array: the caller's own

    def tick_values(self, vmin, vmax):
        return self.inner.tick_values(vmin, vmax)

    def nonsingular(self, v0, v1):
        return self.inner.nonsingular(v0, v1)

    def view_limits(self, vmin, vmax):
        return self.inner.view_limits(vmin, vmax)


def _year_axis(ax: Axes, start: pd.Timestamp, end: pd.Timestamp) -> None:
    end = max(end, start + pd.DateOffset(years=1))  # an edition of one day still spans its year
    ax.set_xlim(start, end)
    span_years = end.year - start.year + 1
    ax.xaxis.set_major_locator(
        TicksPerView(mdates.YearLocator(base=max(1, math.ceil(span_years / 8))))
    )
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))


def settle_layout(figure: Figure) -> None:
    """Lay the figure out, as drawing it would, before its words are measured and placed.

    Drawing a figure (`draw_without_rendering`) runs its layout engine, then draws every artist
    to a renderer that writes nothing. The layout is what moves what a chart measures next: the
    axes' positions. Each measure works out what it reads from the current positions with the
    canvas's renderer, the one the layout measured with (tick labels, titles and an
    annotation's place are worked out again when measured). So the layout alone settles the
    figure as the draw did, for about half its cost; a figure placed by hand (no engine, as
    the money chart) has nothing to settle. One thing only a draw sets: an annotation's arrow
    takes the renderer's dots per point when drawn. Nothing measures an arrow between a settle
    and the save, whose dry run draws every arrow again before measuring: the charts with a
    layout settle before they add any arrow (leader lines come after). tests/test_drawing.py
    checks that every chart's SVG is the one full draws give."""
    engine = figure.get_layout_engine()
    if engine is not None:
        engine.execute(figure)


# --- Funding amounts ---------------------------------------------------------------------------

# Small multiples: one panel per kind of amount, all on one dollar scale. Every purpose code of
# data/datapackage.json has exactly one panel (a test checks it against the schema).
AMOUNT_PANELS = {
    "raised": ("funding round", "investment", "donation", "pledge", "bid", "debt"),
    "valued": ("valuation", "stake value"),
    "claimed": ("cost estimate", "alleged loss", "damages sought"),
}
PANEL_OF_PURPOSE = {purpose: panel for panel, codes in AMOUNT_PANELS.items() for purpose in codes}
PURPOSE_ORDER = tuple(PANEL_OF_PURPOSE)
OPEN_UPWARDS = {"more than", "at least", "several"}
OPEN_DOWNWARDS = {"up to", "less than"}

# One colour per company throughout (Okabe-Ito); everyone else in grey.
MUSK_SIDE = {"musk", "xai", "x-corp", "spacex", "tesla", "musk-consortium", "musk-lawyers"}
COMPANY_COLOURS = {"openai": BLUE, "musk": VERMILLION, "microsoft": GREEN, "other": GREY}


def company_of(amount) -> str:
    """Whose money an amount is, for its colour: Musk's side, then Microsoft, then OpenAI."""
    parties = {str(getattr(amount, side, "")) for side in ("from_actor", "to_actor")}
    if parties & MUSK_SIDE:
        return "musk"
    for company in ("microsoft", "openai"):
        if company in parties:
            return company
    return "other"


def amount_rows(amounts: pd.DataFrame) -> pd.DataFrame:
    """Amounts in the order the chart draws them: by panel, then by company, then by date."""
    order = {purpose: rank for rank, purpose in enumerate(PURPOSE_ORDER)}
    panels = list(AMOUNT_PANELS)
    companies = list(COMPANY_COLOURS)
    return (
        amounts.assign(
            _panel=amounts["purpose"].astype(str).map(PANEL_OF_PURPOSE).map(panels.index),
            _company=[companies.index(company_of(row)) for row in amounts.itertuples()],
            _purpose=amounts["purpose"].astype(str).map(order),
        )
        .sort_values(
            ["_panel", "_company", "date", "_purpose", "low_usd"], na_position="last", kind="stable"
        )
        .drop(columns=["_panel", "_company", "_purpose"])
    )


# Layout of the amounts chart, in inches at A4 text width, so the section can size the figure.
AMOUNT_LABEL_INCHES = 2.85  # the column of row labels, left of each panel
AMOUNT_LABEL_CHARS = 50  # characters per line of a row label at 7 pt in that column
AMOUNT_FONT = 7.0  # row labels and values: the smallest text on the chart
AMOUNT_LINE_INCHES = 0.112  # one line of 7 pt text
AMOUNT_ROW_PAD = 0.07  # between two rows
PANEL_HEAD_INCHES = 0.26  # a panel's heading
PANEL_FOOT_INCHES = 0.3  # a panel's money ticks and the gap to the next panel
TITLE_CHARS = 78  # characters per line of the title at 10 pt over 6.7 inches
SUBTITLE_CHARS = 100
# The phone layout of the amounts chart: each row's label, with its value, over its mark, the
# figure's width (a value beside its mark would not fit the narrow scale).
NARROW_AMOUNTS = {
    "label_chars": 50,
    "title_chars": 38,
    "subtitle_chars": 52,
    "key_columns": 2,
}  # companies
AMOUNT_MARK_INCHES = 0.16  # in the phone layout, a row's mark line under its label


def _date_short(amount, lang: str) -> str:
    if pd.isna(amount.date) or amount.date_precision == "unknown":
        return label("common.unknown_date", lang)
    return format_date_short(amount.date.date(), lang, str(amount.date_precision))


def _without_date(text: str, lang: str) -> str:
    """A data label without the 'October 2024' it may carry: the chart adds its own date."""
    months = "|".join(MONTHS[lang])
    before = r"(?:,|\s+(?:de|en|in|of))?"  # 'cession interne de décembre 2025'
    text = re.sub(rf"{before}\s*\b(?:{months})\s+\d{{4}}\b", "", str(text), flags=re.IGNORECASE)
    return re.sub(r"\s*\(\s*\)", "", text).strip(" ,")


def amount_label(amount, lang: str, width: int = AMOUNT_LABEL_CHARS, value: bool = False) -> str:
    """The row label: what the amount is and when ('xAI Series E, Jan. 2026'), wrapped; with
    `value`, its value too ('…, Jan. 2026 · $20B'), as the phone layout writes it."""
    what = _without_date(getattr(amount, f"label_{lang}"), lang)
    when = _date_short(amount, lang).replace(" ", NBSP)  # 'sans date' stays on one line
    text = label("money.mark_label", lang, what=what, date=when)
    if value:
        text += " · " + amount_value(amount, lang).replace(" ", NBSP)
    return textwrap.fill(bound(text), width, break_long_words=False, break_on_hyphens=False)


def amount_value(amount, lang: str) -> str:
    """The value written beside a mark, short and with its qualifier: 'more than $100B'."""
    low, high, qualifier = amount.low_usd, amount.high_usd, str(amount.qualifier)
    if pd.notna(high) and high != low:
        return label(
            "money.value_range",
            lang,
            low=format_money_short(low, lang),
            high=format_money_short(high, lang),
        )
    if qualifier == "several":
        return format_amount(low, None, qualifier, lang)
    short = format_money_short(low, lang)
    if qualifier == "exact":
        return short
    return label(f"money.value_{qualifier.replace(' ', '_')}", lang, amount=short)


def _row_inches(text: str, narrow: bool = False) -> float:
    lines = AMOUNT_LINE_INCHES * (text.count("\n") + 1) + AMOUNT_ROW_PAD
    return lines + AMOUNT_MARK_INCHES if narrow else lines


def _key_rows(amounts: pd.DataFrame, narrow: bool) -> tuple[int, int]:
    """Lines of the key: companies present, then the five kinds of mark."""
    if not narrow:
        return 1, 1
    columns = NARROW_AMOUNTS["key_columns"]
    companies = len({company_of(row) for row in amounts.itertuples()})
    return max(1, math.ceil(companies / columns)), 5  # the kinds of mark: one a line


def amount_layout(
    amounts: pd.DataFrame, lang: str, title: str = "", subtitle: str = "", narrow: bool = False
) -> dict:
    """Where everything goes, in inches from the top: header, then each panel's rows. In the
    phone layout (`narrow`) a row's label stands over its mark, the figure's width."""
    rows = amount_rows(amounts)
    header = 0.08
    title_chars = NARROW_AMOUNTS["title_chars"] if narrow else TITLE_CHARS
    subtitle_chars = NARROW_AMOUNTS["subtitle_chars"] if narrow else SUBTITLE_CHARS
    if title:
        header += 0.2 * (wrap(title, title_chars).count("\n") + 1)
    if subtitle:
        header += 0.16 * (wrap(subtitle, subtitle_chars).count("\n") + 1)
    header += (0.17 if narrow else 0.21) * sum(_key_rows(amounts, narrow))  # the key's lines
    panels, top = [], header
    for panel in AMOUNT_PANELS:
        group = rows[rows["purpose"].astype(str).map(PANEL_OF_PURPOSE) == panel]
        if group.empty:
            continue
        width = NARROW_AMOUNTS["label_chars"] if narrow else AMOUNT_LABEL_CHARS
        labels = [amount_label(amount, lang, width, narrow) for amount in group.itertuples()]
        heights = [_row_inches(text, narrow) for text in labels]
        top += PANEL_HEAD_INCHES
        panels.append(
            {
                "panel": panel,
                "rows": group,
                "labels": labels,
                "heights": heights,
                "top": top,
                "height": sum(heights),
            }
        )
        top += sum(heights) + PANEL_FOOT_INCHES
    return {"header": header, "panels": panels, "height": top + 0.05}


def amounts_figure_height(
    amounts: pd.DataFrame, lang: str, title: str = "", subtitle: str = "", narrow: bool = False
) -> float:
    """Height in inches of the amounts chart for these rows, in `lang`."""
    return amount_layout(amounts, lang, title, subtitle, narrow)["height"]


def money_decades(amounts: pd.DataFrame) -> tuple[float, float]:
    """The dollar scale shared by the panels: whole decades around every amount."""
    values = pd.concat([amounts["low_usd"], amounts["high_usd"]]).dropna()
    values = values[values > 0]
    if values.empty:
        return 1e6, 1e9
    low = 10 ** math.floor(math.log10(values.min()))
    return low, max(values.max() * 3, low * 100)  # room on the right for an arrow


def plot_amounts(
    ax: Axes, amounts: pd.DataFrame, lang: str, title: str = "", subtitle: str = "",
    narrow: bool = False,
) -> list[Axes]:  # fmt: skip
    """Amounts as small multiples by kind — raised, valued, claimed — on one logarithmic scale.

    The panels replace `ax` in its figure, whose height should be `amounts_figure_height`. A
    filled mark is a figure stated as fact, a hollow one a claim or opinion; a dot is exact, a
    diamond approximate; "more than", "at least", "several" are open arrows to the right from the
    stated floor, "up to", "less than" to the left; a stated range is a band from low to high.
    Colour is the company; every row is labelled with what it is and its date, every mark with
    its value. Returns the panels, top to bottom. `narrow`: the phone layout (see amount_layout).
    """
    check_language(lang)
    figure = ax.figure
    figure.set_layout_engine("none")
    ax.remove()
    width, height = figure.get_size_inches()
    layout = amount_layout(amounts, lang, title, subtitle, narrow)
    low, high = money_decades(amounts)
    left = 0.1 if narrow else AMOUNT_LABEL_INCHES + 0.1
    right = 0.3  # half a money tick label
    y = height - 0.08
    chars = (NARROW_AMOUNTS["title_chars"], NARROW_AMOUNTS["subtitle_chars"]) if narrow else (
        TITLE_CHARS, SUBTITLE_CHARS)  # fmt: skip
    headings = (  # text, characters a line, line height (in), style
        (title, chars[0], 0.2, {"fontsize": 9 if narrow else 10, "fontweight": "bold"}),
        (subtitle, chars[1], 0.16, {"fontsize": 7.5 if narrow else 8, "color": "#444444"}),
    )
    for text, chars, line, style in headings:
        if text:
            wrapped = wrap(text, chars)
            figure.text(0.1 / width, y / height, wrapped, va="top", ha="left", **style)
            y -= line * (wrapped.count("\n") + 1)
    _amount_key(figure, lang, rows=amounts, top=(y - 0.02) / height, left=0.02 / width,
                narrow=narrow)  # fmt: skip
    panels = []
    for spec in layout["panels"]:
        rect = (
            left / width,
            (height - spec["top"] - spec["height"]) / height,
            (width - left - right) / width,
            spec["height"] / height,
        )
        panel = figure.add_axes(rect)
        _draw_panel(panel, spec, lang, low, high, narrow)
        panels.append(panel)
    _place_values(panels)
    return panels


def _draw_panel(
    ax: Axes, spec: dict, lang: str, low: float, high: float, narrow: bool = False
) -> None:
    centres, tops, y = [], [], 0.0
    for row_height in spec["heights"]:
        centres.append(y + row_height - AMOUNT_MARK_INCHES / 2 - AMOUNT_ROW_PAD / 2 if narrow
                       else y + row_height / 2)  # fmt: skip
        tops.append(y + AMOUNT_ROW_PAD / 2)
        y += row_height
    for amount, centre, row_height in zip(
        spec["rows"].itertuples(index=False), centres, spec["heights"], strict=True
    ):
        _draw_amount(ax, amount, centre, row_height, lang, value=not narrow)
    ax.set_ylim(y, 0)
    if narrow:  # each label over its mark, from the panel's left edge
        ax.set_yticks([])
        for text, top in zip(spec["labels"], tops, strict=True):
            ax.text(0, top, text, transform=ax.get_yaxis_transform(), va="top", ha="left",
                    fontsize=AMOUNT_FONT, linespacing=1.1, color="#222222")  # fmt: skip
    else:
        ax.set_yticks(centres, spec["labels"], fontsize=AMOUNT_FONT, linespacing=1.1)
    ax.set_xscale("log")
    ax.set_xlim(low, high)
    decades = range(round(math.log10(low)), math.floor(math.log10(high)) + 1)
    ax.xaxis.set_major_locator(FixedLocator([10.0**power for power in decades]))
    ax.xaxis.set_minor_locator(NullLocator())
    every = 2 if narrow and len(decades) > 5 else 1  # a gridline every decade, named fewer
    ax.xaxis.set_major_formatter(FuncFormatter(
        lambda value, _: format_money_short(value, lang)
        if round(math.log10(value)) % every == 0 else ""))  # fmt: skip
    ax.tick_params(axis="x", labelsize=AMOUNT_FONT, length=0, pad=2)
    ax.grid(True, axis="x", which="major")
    ax.spines["bottom"].set_visible(False)
    heading = label(f"money.panel_{spec['panel']}", lang)
    ax.text(
        0 if narrow else -AMOUNT_LABEL_INCHES / _axes_inches(ax)[0],
        1,
        heading,
        transform=ax.transAxes,
        fontsize=8.5,
        fontweight="bold",
        va="bottom",
        ha="left",
        gid="panel-heading",
    )


def _axes_inches(ax: Axes) -> tuple[float, float]:
    box = ax.get_position()
    width, height = ax.figure.get_size_inches()
    return box.width * width, box.height * height


def _draw_amount(
    ax: Axes, amount, y: float, row_height: float, lang: str, value: bool = True
) -> None:
    colour = COMPANY_COLOURS[company_of(amount)]
    claim = amount.assertion != "fact"
    face = "white" if claim else colour
    low = amount.low_usd
    high = amount.high_usd if pd.notna(amount.high_usd) else None
    start, end = low, low
    if high is not None and high != low:  # a stated range: a band from low to high
        band = Rectangle(
            (low, y - 0.055),
            high - low,
            0.11,
            facecolor=face,
            edgecolor=colour,
            linewidth=1.2,
            zorder=2,
            gid="range",
            url=source_link(amount),
        )
        ax.add_patch(band)
        end = high
    else:
        if amount.qualifier in OPEN_UPWARDS:
            end = low * 4
            _open_arrow(ax, low, end, y, colour)
        elif amount.qualifier in OPEN_DOWNWARDS:
            start = low / 4
            _open_arrow(ax, low, start, y, colour)
        ax.plot(
            [low],
            [y],
            marker="D" if amount.qualifier == "about" else "o",
            markersize=4.6 if amount.qualifier == "about" else 5.2,
            color=colour,
            markerfacecolor=face,
            markeredgewidth=1.2,
            linestyle="none",
            zorder=3,
            url=source_link(amount),
        )
    ax._amount_starts = [*getattr(ax, "_amount_starts", []), start]
    if not value:  # the phone layout writes it in the row's label
        return
    ax.annotate(
        amount_value(amount, lang),
        (end, y),
        xytext=(5, 0),
        textcoords="offset points",
        va="center",
        ha="left",
        fontsize=AMOUNT_FONT,
        color="#333333",
        gid="value",
        annotation_clip=False,
        url=source_link(amount),
    )


def _place_values(panels: list[Axes]) -> None:
    """A value that would run past the right edge goes to the left of its mark instead."""
    if not panels:
        return
    figure = panels[0].figure
    settle_layout(figure)  # nothing to do: plot_amounts places the panels by hand
    renderer = figure.canvas.get_renderer()
    for ax in panels:
        values = [text for text in ax.texts if text.get_gid() == "value"]
        right = ax.get_window_extent(renderer).x1
        starts = ax._amount_starts if values else []
        for text, start in zip(values, starts, strict=True):
            if text.get_window_extent(renderer).x1 > right:
                text.xy = (start, text.xy[1])
                text.set_position((-5, 0))
                text.set_horizontalalignment("right")


def _open_arrow(ax: Axes, start: float, end: float, y: float, colour: str) -> None:
    """An open-headed dashed arrow from the stated figure towards where the amount is open."""
    style = {
        "arrowstyle": "->",
        "color": colour,
        "linewidth": 1.2,
        "shrinkA": 0,
        "shrinkB": 0,
        "linestyle": (0, (2, 1.5)),
        "mutation_scale": 8,
    }
    ax.annotate("", xy=(end, y), xytext=(start, y), zorder=2, arrowprops=style)


def _amount_key(
    figure, lang: str, rows: pd.DataFrame, top: float, left: float, narrow: bool = False
) -> None:
    """The key, once: the companies present, then what each kind of mark means."""
    present = {company_of(row) for row in rows.itertuples()}
    companies = [
        Line2D(
            [],
            [],
            marker="s",
            markersize=6,
            color=colour,
            linestyle="none",
            label=label(f"money.company_{company}", lang),
        )
        for company, colour in COMPANY_COLOURS.items()
        if company in present
    ]
    marks = [
        Line2D(
            [],
            [],
            marker="o",
            color="#444444",
            linestyle="none",
            markersize=5,
            label=label("money.legend_fact", lang),
        ),
        Line2D(
            [],
            [],
            marker="o",
            color="#444444",
            markerfacecolor="white",
            linestyle="none",
            markersize=5,
            label=label("money.legend_claim", lang),
        ),
        Line2D(
            [],
            [],
            marker="D",
            color="#444444",
            linestyle="none",
            markersize=4.5,
            label=label("money.legend_about", lang),
        ),
        Patch(facecolor="#bbbbbb", edgecolor="#444444", label=label("money.legend_range", lang)),
        Line2D(
            [],
            [],
            color="#444444",
            linestyle=(0, (2, 1.5)),
            marker=">",
            markevery=[1],
            markerfacecolor="none",
            markersize=4,
            label=label("money.legend_open", lang),
        ),
    ]
    style = {
        "loc": "upper left",
        "fontsize": AMOUNT_FONT,
        "frameon": False,
        "borderpad": 0,
        "borderaxespad": 0,
        "handlelength": 1.4,
        "handletextpad": 0.4,
        "columnspacing": 1.1,
    }
    columns = NARROW_AMOUNTS["key_columns"]
    first = figure.legend(
        handles=companies, ncol=columns if narrow else max(len(companies), 1),
        bbox_to_anchor=(left, top), **style,
    )  # fmt: skip
    figure.add_artist(first)
    lines = _key_rows(rows, narrow)[0]
    second_top = top - (0.19 + 0.17 * (lines - 1)) / figure.get_size_inches()[1]
    figure.legend(handles=marks, ncol=1 if narrow else len(marks),
                  bbox_to_anchor=(left, second_top), **style)  # fmt: skip


# --- Lawsuit chronology ------------------------------------------------------------------------

STEP_GROUPS = {
    "complaint": "filing", "refiling": "filing", "amended complaint": "filing",
    "counterclaim": "filing", "withdrawal": "filing", "motion": "filing", "opposition": "filing",
    "letter to a regulator": "filing", "appeal announced": "filing",
    "ruling": "ruling", "verdict": "ruling", "regulator decision": "ruling",
    "hearing": "hearing", "scheduling order": "hearing", "trial": "hearing",
}  # fmt: skip
# Three kinds of mark, told apart by shape as well as colour (and in greyscale): what the parties
# file, what a judge, jury or authority decides, and the court's own hearings and calendar.
STEP_STYLE = {  # marker, face colour, edge colour, size
    "filing": ("o", BLUE, "white", 6.0),
    "ruling": ("D", VERMILLION, "white", 7.0),
    "hearing": ("s", "white", "#555555", 5.0),
}
REGULATORY_STEPS = {"letter to a regulator", "regulator decision"}
DECISIONS = ("ruling", "verdict", "regulator decision")
MAX_KEY_LABELS = 8  # the facts a chart annotates: 3 to 8, chosen by importance
NARROW_KEY_STEPS = 4  # the same in the phone layout of the legal chart
KEY_LABEL_CHARS = 26  # characters per line of a key step's label
LANE_INCHES = 0.42  # a lane without labels
BARE_LANE_EXTRA = 0.28  # more for a lane without any tier of labels: its name's four lines
TIER_INCHES = 0.5  # one tier of labels (a date and three lines at 7 pt) above or below a lane
LEGAL_BASE_INCHES = 1.35  # title, subtitle, time axis and key
MAX_LABEL_TRIES = 60  # key steps tried for a label at most (the real base has 26 candidates)
STRIP_INCHES = 0.14  # a crowded lane's strip of monthly counts: clear of the labels 6 pt away
STRIP_COLOUR = "#666666"  # the steps of every kind, counted together


def number_steps(steps: pd.DataFrame) -> pd.DataFrame:
    """Legal steps in date order with `number` 1..N, the key shared by the chart and its table."""
    same_day_order = steps["sequence"].fillna(0) if "sequence" in steps else 0
    ordered = steps.assign(_order=same_day_order).sort_values(
        ["date", "_order", "action_id"], kind="stable"
    )
    return ordered.drop(columns="_order").assign(number=range(1, len(ordered) + 1))


def regulatory_cases(steps: pd.DataFrame) -> set[str]:
    """Cases that are not lawsuits: every step is a letter to a regulator or its decision."""
    regulatory = steps["step"].astype(str).isin(REGULATORY_STEPS).groupby(steps["case_id"]).all()
    return set(regulatory.index[regulatory])


def legal_lanes(steps: pd.DataFrame) -> list[str]:
    """The cases in the order of their lanes: lawsuits by first step, then regulatory reviews."""
    first = steps.groupby("case_id")["date"].min().sort_values(kind="stable")
    reviews = regulatory_cases(steps)
    return [c for c in first.index if c not in reviews] + [c for c in first.index if c in reviews]


def key_steps(steps: pd.DataFrame, limit: int | None = None) -> pd.DataFrame:
    """The candidates for a label, best first: every step of importance 1, then those of
    importance 2, a case with fewer candidates before it first, latest first within a turn, so
    that every case gets its say. The chart labels them in this order while they fit, up to
    `MAX_KEY_LABELS`.
    """
    if "importance" not in steps or steps.empty:
        return steps.iloc[:0]
    ranked = steps[steps["importance"].isin([1, 2])].sort_values(
        ["importance", "date", "number"], ascending=[True, False, False], kind="stable"
    )
    ranked = ranked.assign(_turn=ranked.groupby("case_id").cumcount())
    ranked = ranked.assign(_turn=ranked["_turn"].where(ranked["importance"] == 2, 0))
    ranked = ranked.sort_values(["importance", "_turn", "date", "number"],
                                ascending=[True, True, False, False], kind="stable")  # fmt: skip
    ranked = ranked.drop(columns="_turn")
    return ranked if limit is None else ranked.head(limit)


def _label_tiers(steps: pd.DataFrame) -> dict[str, tuple[int, int]]:
    """Tiers of labels above and below each lane, from how many key steps it holds."""
    keys = key_steps(steps, MAX_KEY_LABELS)["case_id"].value_counts()
    sides = {0: (0, 0), 1: (1, 0), 2: (1, 1), 3: (2, 1)}
    return {case: sides.get(int(keys.get(case, 0)), (2, 2)) for case in legal_lanes(steps)}


def _lane_inches(above: int, below: int) -> float:
    """A lane's own height: a lane with no tier of labels (only in a crowd of steps, where the
    key steps are all in other cases) has room for its name on four lines all the same."""
    return LANE_INCHES if above or below else LANE_INCHES + BARE_LANE_EXTRA


def counted(key: str, count: int, lang: str) -> str:
    """'1 lawsuit', '4 lawsuits': the catalogue's `key_one` or `key_many` with the count."""
    return label(f"{key}_{'one' if count == 1 else 'many'}", lang, n=count)


def legal_scope(lawsuits: int, reviews: int, lang: str) -> str:
    """'4 lawsuits and, apart, 1 regulatory review', or only the kind there is."""
    cases = counted("courts.lawsuits", lawsuits, lang)
    others = counted("courts.reviews", reviews, lang)
    if lawsuits and reviews:
        return label("courts.scope_both", lang, cases=cases, reviews=others)
    return cases if lawsuits else others


def legal_figure_height(steps: pd.DataFrame, narrow: bool = False) -> float:
    """Figure height in inches: each lane with room for its tiers of labels, reviews apart; in
    the phone layout, room for a title on more lines and no page to fit."""
    if steps.empty:
        return LEGAL_BASE_INCHES
    tiers = _label_tiers(steps)
    lanes = sum(_lane_inches(a, b) + TIER_INCHES * (a + b) for a, b in tiers.values())
    band = 0.3 if regulatory_cases(steps) else 0.0
    if narrow:
        return LEGAL_BASE_INCHES + 1.9 + 0.7 * lanes + band  # fewer labels: less room
    return min(LEGAL_BASE_INCHES + 0.25 + lanes + band, 9.0)


def short_date(date: pd.Timestamp, lang: str, precision: str = "day") -> str:
    """A date as a chart label writes it: 'Jan. 10, 2024', '10 janv. 2024', 'Dec. 2024'."""
    check_language(lang)
    month = MONTHS_SHORT[lang][date.month - 1]
    if precision == "year":
        return str(date.year)
    if precision == "month":
        return f"{month} {date.year}"
    if lang == "fr":
        return f"{'1er' if date.day == 1 else date.day}\u00a0{month} {date.year}"
    return f"{month} {date.day}, {date.year}"


def short_summary(text: str, width: int = KEY_LABEL_CHARS, lines: int = 3) -> str:
    """The first clause of a summary, on at most `lines` lines of `width`, cut at a word."""
    text = str(text)
    for mark in (";", ":", ",", " — ", " – ", " ("):
        head = text.split(mark)[0].rstrip()  # no space left of a French '\u00a0;'
        if len(head) >= 12:
            text = head
    wrapped = textwrap.wrap(bound(text), width, break_long_words=False, break_on_hyphens=False)
    return "\n".join(cut_short(wrapped, lines))


def cut_short(lines: list[str], keep: int, trailing: str = ",;:") -> list[str]:
    """The first `keep` lines; when some are left out, the last ends with '…' and a quotation
    it leaves open is closed after it ('«\u202fréglementation…\u202f»', '“sensible…”')."""
    if len(lines) <= keep:
        return lines
    last = lines[keep - 1].rstrip(trailing + " \u00a0\u202f") + "…"
    text = " ".join([*lines[: keep - 1], last])
    for opening, closing in (("«", "\u202f»"), ("\u201c", "\u201d")):
        if text.count(opening) > text.count(closing.strip()):
            last += closing
    return [*lines[: keep - 1], last]


@functools.lru_cache(maxsize=4096)
def _summary_words(text: str, width: int) -> str:
    """`short_summary`, kept: a crowd of steps repeats a few summaries many times."""
    return short_summary(text, width)


def key_label(step, lang: str, width: int = KEY_LABEL_CHARS) -> str:
    """'Dec. 12, 2024' over the first clause of what the step did."""
    precision = str(getattr(step, "date_precision", "day"))
    first = short_date(step.date, lang, precision if precision in ("month", "year") else "day")
    return first + "\n" + short_summary(getattr(step, f"summary_{lang}"), width)


def legal_title(steps: pd.DataFrame, cases: pd.DataFrame, lang: str) -> str:
    """The finding: how the busiest lawsuit stands, from its last decision and what followed."""
    if steps.empty:
        return label("courts.chart_title", lang)
    reviews = regulatory_cases(steps)
    lawsuits = steps[~steps["case_id"].isin(reviews)]
    pool = lawsuits if not lawsuits.empty else steps
    case = pool["case_id"].value_counts().sort_index().sort_values(ascending=False, kind="stable")
    case_id = case.index[0]
    names = cases.set_index("case_id")[f"name_{lang}"]
    name = names.get(case_id, case_id)
    of_case = pool[pool["case_id"] == case_id].sort_values("number")
    decided = of_case[of_case["step"].astype(str).isin(DECISIONS)]
    if decided.empty:
        return label("courts.title_pending", lang, case=name, steps=len(of_case))
    last = decided.iloc[-1]
    title = label(
        "courts.title_decision",
        lang,
        case=name,
        decision=code_label("step", str(last["step"]), lang),
        date=short_date(last["date"], lang),
    )
    later = of_case[of_case["number"] > last["number"]]
    if not later.empty:
        title += label(
            "courts.title_then", lang, step=code_label("step", str(later.iloc[-1]["step"]), lang)
        )
    return title


def _title_and_subtitle(ax: Axes, title: str, subtitle: str, width: int = 66) -> None:
    """A bold title stating the finding, and under it a grey line saying what is drawn."""
    sub = ax.annotate(
        wrap(subtitle, int(width * 1.3)),
        (0, 1),
        xycoords="axes fraction",
        xytext=(0, 8),
        textcoords="offset points",
        va="bottom",
        ha="left",
        fontsize=8,
        color="#555555",
        annotation_clip=False,
    )
    lines = sub.get_text().count("\n") + 1
    ax.set_title(wrap(title, width), loc="left", pad=8 + 11 * lines + 4)


def plot_legal_timeline(
    ax: Axes, steps: pd.DataFrame, cases: pd.DataFrame, lang: str, narrow: bool = False
) -> Axes:
    """One lane per lawsuit, then a band apart for letters and regulatory reviews; each step a
    mark of one of three kinds, in its true order (same-day steps side by side, in `sequence`
    order); the key steps (importance 1, then 2) labelled with their date, where they fit.

    `steps` carries `number` (see `number_steps`). Labels are placed one by one and measured with
    the renderer: a label that would touch another label, a leader line or the frame is tried in
    the next tier, and left out when no tier has room. Size the figure with `legal_figure_height`.
    `narrow`: the phone layout (fewer, narrower labels; the title over the whole figure).
    """
    check_language(lang)
    if steps.empty:
        ax.set_axis_off()
        return ax
    steps = steps.sort_values("number", kind="stable").reset_index(drop=True)
    lanes = legal_lanes(steps)
    reviews = regulatory_cases(steps)
    tiers = _label_tiers(steps)
    centre, position, band_top = {}, 0.0, None
    for case in lanes:
        if case in reviews and band_top is None:
            band_top = position
            position += 0.3
        above, below = tiers[case]
        position += TIER_INCHES * above + _lane_inches(above, below) / 2
        centre[case] = position
        position += TIER_INCHES * below + _lane_inches(above, below) / 2
    ax.set_ylim(position, 0)
    start, end = _legal_span(steps)
    _year_axis(ax, start, end)
    ax.grid(axis="x", color="#eeeeee")
    names = cases.set_index("case_id")[f"name_{lang}"]
    ax.set_yticks(
        [centre[c] for c in lanes],
        [wrap(names.get(c, c), 12 if narrow else 24) for c in lanes],
        fontsize=7 if narrow else 7.5,
    )
    for case in lanes:
        ax.axhline(centre[case], color="#cccccc", linewidth=0.8, zorder=1)
    if band_top is not None:
        ax.axhspan(band_top + 0.05, position, color="#f3f3f3", zorder=0)
        ax.annotate(
            label("courts.band_reviews", lang),
            (0, band_top + 0.08),
            xycoords=("axes fraction", "data"),
            xytext=(3, 0),
            textcoords="offset points",
            va="top",
            fontsize=7,
            fontstyle="italic",
            color="#555555",
        )
    reviews_count = len([c for c in lanes if c in reviews])
    subtitle = label(
        "courts.chart_subtitle",
        lang,
        what=legal_scope(len(lanes) - reviews_count, reviews_count, lang),
    )
    if narrow:
        title_and_subtitle(ax, legal_title(steps, cases, lang), subtitle, narrow=True)
    else:
        _title_and_subtitle(ax, legal_title(steps, cases, lang), subtitle)
    groups = steps["step"].astype(str).map(STEP_GROUPS).fillna("filing")
    used = [g for g in STEP_STYLE if (groups == g).any()]
    handles = [
        Line2D([], [], marker=STEP_STYLE[g][0], markerfacecolor=STEP_STYLE[g][1],
               markeredgecolor=STEP_STYLE[g][2] if STEP_STYLE[g][1] == "white" else "white",
               color="none", linestyle="none", markersize=STEP_STYLE[g][3],
               label=code_label("step_group", g, lang))
        for g in used
    ]  # fmt: skip
    if crowded(steps["case_id"]):  # the strips' key: what a bar counts
        handles.append(Patch(facecolor=STRIP_COLOUR, alpha=0.85, linewidth=0,
                             label=label("courts.strip_key", lang)))  # fmt: skip
    from matplotlib.transforms import ScaledTranslation

    below_axis = ax.transAxes + ScaledTranslation(0, -20 / 72, ax.figure.dpi_scale_trans)
    ax.legend(
        handles=handles,
        loc="upper left",
        bbox_to_anchor=(0.0, 0.0),
        bbox_transform=below_axis,
        ncol=1 if narrow else min(len(handles), 3),  # the strips' key on a row of its own
        fontsize=7,
        borderaxespad=0.5,
        handletextpad=0.3,
        columnspacing=1.2,
    )
    settle_layout(ax.figure)  # settle the layout: same-day steps are set apart in points
    width_points = ax.get_window_extent().width * 72 / ax.figure.dpi
    days_per_point = (ax.get_xlim()[1] - ax.get_xlim()[0]) / max(width_points, 1.0)
    same_day = steps.groupby(["case_id", "date"]).cumcount()
    x = steps["date"] + pd.to_timedelta(same_day * 5.5 * days_per_point, unit="D")
    placed = steps.assign(x=x, y=steps["case_id"].map(centre))
    groups = placed["step"].astype(str).map(STEP_GROUPS).fillna("filing")
    dense = len(steps) > 120
    strips = crowded(steps["case_id"])  # lanes too crowded to tell marks apart: counted by month
    taken = []
    for case in strips:
        lane = placed[placed["case_id"] == case]
        peak = draw_strip(ax, lane["date"], centre[case], STRIP_INCHES, STRIP_COLOUR, lang)
        if peak is not None:  # key labels keep clear of the strip's number
            box = peak.get_window_extent(ax.figure.canvas.get_renderer())
            taken += [box, box]
    strip_marks = placed[placed["case_id"].isin(strips)]
    placed_marks = placed[~placed["case_id"].isin(strips)]
    for group in STEP_STYLE:
        marks = placed_marks[groups.loc[placed_marks.index] == group]
        if marks.empty:
            continue
        marker, face, edge, size = STEP_STYLE[group]
        if len(marks) > MAX_LINKED_MARKS:
            batches = [(marks["x"], marks["y"], None)]
        else:
            links = [source_link(step) for step in rows_of(marks, "source_id")]
            batches = [(marks["x"].iloc[n : n + 1], marks["y"].iloc[n : n + 1], link)
                       for n, link in enumerate(links)]  # fmt: skip
        for xs, ys, url in batches:  # one artist a step, each linked to its source, up to a limit
            line, *_ = ax.plot(
                xs,
                ys,
                marker=marker,
                linestyle="none",
                markerfacecolor=face,
                markeredgecolor=edge,
                color=face if face != "white" else edge,
                markersize=size * (0.8 if dense else 1),
                markeredgewidth=0.8 if face != "white" else 1.1,
                alpha=0.7 if dense else 1,
                zorder=3,
                url=url,
                clip_on=False,  # within the span drawn: no clip path to write
            )
            line.set_in_layout(False)  # nor a measure for the layout at each draw
    labelled = _place_key_labels(ax, placed, tiers, lang, narrow, taken)
    for step in strip_marks[strip_marks["number"].isin(labelled)].itertuples():
        marker, face, edge, size = STEP_STYLE[STEP_GROUPS.get(str(step.step), "filing")]
        ax.plot([step.x], [step.y], marker=marker, linestyle="none", markerfacecolor=face,
                markeredgecolor=edge if face == "white" else "#222222", markersize=size,
                markeredgewidth=1.1, zorder=4, url=source_link(step), gid="key-mark",
                clip_on=False)[0].set_in_layout(False)  # fmt: skip  # a key step over its strip
    return ax


def _place_key_labels(
    ax: Axes, placed: pd.DataFrame, tiers: dict[str, int], lang: str, narrow: bool = False,
    taken: list | None = None,
) -> list[int]:  # fmt: skip
    """Label the key steps where they fit, measured with the renderer (see plot_legal_timeline);
    in the phone layout at most NARROW_KEY_STEPS, on narrower lines. `taken`: boxes already
    drawn that a label must not touch, in pairs (box, leader). Returns the numbers labelled.

    At most MAX_LABEL_TRIES steps are tried, so that a crowd of candidates that do not fit costs
    no more than a few."""
    from matplotlib.transforms import Bbox

    renderer = ax.figure.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    pad = 2 * ax.figure.dpi / 72
    taken = list(taken or [])
    count, said, labelled, tries = 0, set(), [], 0
    # a summary met again gives words already said (placed or tried): its row is skipped below
    candidates = key_steps(placed).drop_duplicates(f"summary_{lang}")
    for step in rows_by_chunk(candidates):
        if count >= (NARROW_KEY_STEPS if narrow else MAX_KEY_LABELS) or tries >= MAX_LABEL_TRIES:
            break
        width = 16 if narrow else KEY_LABEL_CHARS
        words = _summary_words(str(getattr(step, f"summary_{lang}")), width)
        if words in said:  # the same words twice would read as a mistake
            continue
        said.add(words)  # tried once: placed, or no room for these words
        tries += 1
        text = key_label(step, lang, width)
        above, below = tiers.get(step.case_id, (0, 0))
        candidates = [
            (side * (6 + TIER_INCHES * 72 * (tier - 1)), ha)
            for tier in range(1, max(above, below) + 1)
            for side in (1, -1)
            if tier <= (above if side > 0 else below)
            for ha in ("left", "right")
        ]
        for offset, ha in candidates:
            note = ax.annotate(
                text,
                (step.x, step.y),
                xytext=(-2 if ha == "left" else 2, offset),
                textcoords="offset points",
                ha=ha,
                va="bottom" if offset > 0 else "top",
                fontsize=7,
                linespacing=1.1,
                color="#222222",
                annotation_clip=False,
                gid=f"key-step-{step.number}",
                url=source_link(step),
            )
            note.set_in_layout(False)
            box = note.get_window_extent(renderer)
            point = ax.transData.transform((mdates.date2num(step.x), step.y))
            lead = Bbox.from_extents(
                point[0] - 0.5,
                min(point[1], box.y0, box.y1),
                point[0] + 0.5,
                max(point[1], box.y0, box.y1),
            )
            padded = Bbox.from_extents(box.x0 - pad, box.y0 - pad, box.x1 + pad, box.y1 + pad)
            inside = (
                frame.x0 <= box.x0
                and box.x1 <= frame.x1
                and frame.y0 <= box.y0
                and box.y1 <= frame.y1
            )
            if (
                inside
                and not any(padded.overlaps(other) for other in taken)
                and not any(lead.overlaps(other) for other in taken[::2])
            ):
                taken += [box, lead]
                count += 1
                labelled.append(int(step.number))
                if abs(offset) > 6:  # a second tier: a thin line back to its mark
                    leader = {"arrowstyle": "-", "color": "#999999", "linewidth": 0.5,
                              "shrinkA": 0, "shrinkB": 3}  # fmt: skip
                    line = ax.annotate("", (step.x, step.y), xytext=(0, offset),
                                       textcoords="offset points", arrowprops=leader,
                                       annotation_clip=False)  # fmt: skip
                    line.set_in_layout(False)
                break
            note.remove()
    return labelled


def _legal_span(steps: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp]:
    return steps["date"].min() - pd.DateOffset(months=3), steps["date"].max() + pd.DateOffset(
        months=3
    )


# --- Stakeholder positions ---------------------------------------------------------------------

STANCE_COLOURS = {-2: "#b35806", -1: "#f1a340", 0: "#9e9e9e", 1: "#998ec3", 2: "#542788"}  # PuOr
STANCE_TEXT = {-2: "−2", -1: "−1", 0: "0", 1: "+1", 2: "+2"}
SUMMARY_CHARS = 50  # characters per line of a stance's summary beside its row
SUMMARY_LINES = 2  # lines of summary per stance at most
LINE_INCHES = 0.125  # one line of 7 pt text
HEADER_INCHES = 0.26  # a topic's heading


def position_matrix(positions: pd.DataFrame) -> pd.DataFrame:
    """The latest stance of each actor on each topic, per person stating it.

    Rows are (actor_id, asserted_by) pairs, the actor's own statements first; columns are topics;
    a missing cell means unknown.
    """
    latest = (
        positions.sort_values("date", na_position="first", kind="stable")
        .groupby(["actor_id", "asserted_by", "topic_id"], sort=False)["stance"]
        .last()
    )
    matrix = latest.unstack("topic_id")
    own_first = sorted(matrix.index, key=lambda pair: (pair[0], pair[0] != pair[1], pair[1]))
    return matrix.loc[own_first]


def stance_marks(positions: pd.DataFrame, end: pd.Timestamp | None = None) -> pd.DataFrame:
    """One mark per stance to draw: when it began (`start`, or NaT when undated) and, where known,
    when it ended (`stop`, never after `end`); `own` when the actor states it itself. The same
    stance attributed by several people over the same period is one mark, `by` naming them all,
    its summary that of the latest statement."""
    if positions.empty:
        empty = {"start": "datetime64[ns]", "stop": "datetime64[ns]", "own": bool, "by": object}
        return positions.assign(**{name: pd.Series(dtype=kind) for name, kind in empty.items()})
    start = positions["valid_from"].fillna(positions["date"])
    start = start.fillna(positions["valid_until"])  # a stance known only by when it ended
    stop = positions["valid_until"]
    if end is not None:
        stop = stop.where(stop.isna() | (stop <= end), pd.NaT)  # the future is not known yet
    marks = positions.assign(
        start=start,
        stop=stop,
        own=positions["actor_id"] == positions["asserted_by"],
        stance=positions["stance"].astype(int),
    ).sort_values(["date", "position_id"], na_position="first", kind="stable")
    keys = ["topic_id", "actor_id", "own", "stance", "start", "stop"]
    grouped = marks.groupby(keys, sort=False, dropna=False)
    group = grouped.ngroup()
    who: dict[int, tuple] = {}  # each mark's asserters, once each, in the order they spoke
    for number, asserter in zip(group.tolist(), marks["asserted_by"].tolist(), strict=True):
        if asserter not in who.setdefault(number, ()):
            who[number] += (asserter,)
    latest = grouped.tail(1)  # the latest statement of each mark
    by = [who[number] for number in group[latest.index]]
    merged = latest.set_index(keys).assign(by=by).reset_index()
    return merged.sort_values(["start", "date"], na_position="last", kind="stable")


def stance_changes(marks: pd.DataFrame) -> pd.DataFrame:
    """The dated changes of stance an actor states itself: topic, actor, `before`, `after`, and
    `date` the day the new stance began."""
    columns = ["topic_id", "actor_id", "before", "after", "date"]
    own = marks[marks["own"] & marks["start"].notna()].sort_values("start", kind="stable")
    # each chain's marks together, chains in the order they first appear, each in date order
    chain = own.groupby(["topic_id", "actor_id"], sort=False).ngroup().to_numpy()
    order = np.argsort(chain, kind="stable")
    chain, stance = chain[order], own["stance"].to_numpy()[order]
    # a mark whose stance differs from the one before it in its own chain
    changed = np.flatnonzero((chain[1:] == chain[:-1]) & (stance[1:] != stance[:-1])) + 1
    if not len(changed):
        return pd.DataFrame([], columns=columns)
    at = order[changed]
    return pd.DataFrame(
        {
            "topic_id": own["topic_id"].to_numpy()[at],
            "actor_id": own["actor_id"].to_numpy()[at],
            "before": stance[changed - 1],
            "after": stance[changed],
            "date": own["start"].to_numpy()[at],
        },
        columns=columns,
    )


def widest_split(marks: pd.DataFrame) -> tuple[str, int] | None:
    """The topic whose actors stand furthest apart now (their own latest stances), and the gap."""
    own = marks[marks["own"] & marks["stop"].isna()]
    if own.empty:
        return None
    latest = (
        own.sort_values("start", na_position="first", kind="stable")
        .groupby(["topic_id", "actor_id"], sort=False)["stance"]
        .last()
    )
    spread = latest.groupby(level="topic_id", sort=False).agg(lambda s: s.max() - s.min())
    if spread.max() <= 0:
        return None
    return str(spread.idxmax()), int(spread.max())


def _summary_line(mark, lang: str, names: dict[str, str], width: int = SUMMARY_CHARS) -> str:
    """'Dec. 2024: summary', or 'per Sam Altman, Dec. 2024: summary' when attributed."""
    when = (
        short_date(mark.date, lang, str(mark.date_precision) if str(mark.date_precision) in (
            "month", "year") else "day")
        if pd.notna(mark.date) else label("common.unknown_date", lang)
    )  # fmt: skip
    head = STANCE_TEXT[int(mark.stance)] + " · " + when
    if not mark.own:
        who = join_names([names.get(b, b) for b in mark.by], lang)
        head = label("positions.per", lang, by=who) + " · " + head
    text = head + label("common.colon", lang) + str(getattr(mark, f"summary_{lang}"))
    lines = textwrap.wrap(bound(text), width, break_long_words=False, break_on_hyphens=False)
    return "\n".join(cut_short(lines, SUMMARY_LINES, ",;:."))


def join_names(items: list[str], lang: str) -> str:
    """'A', 'A and B', 'A, B and C' in the language."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + label("common.list_and", lang) + items[-1]


def position_layout(
    marks: pd.DataFrame, topics: pd.DataFrame, lang: str, names: dict[str, str],
    narrow: bool = False,
) -> tuple[list[dict], float]:  # fmt: skip
    """The rows of the positions chart: per topic (in the order of `topics`) a heading, then one
    row per actor with a known stance, and beside it the lines of its latest stances. Returns
    (rows, height in inches); each row is a dict of topic, actor, y (inches from the top), texts.
    In the phone layout (`narrow`) the lines go under the row, the whole figure wide, from
    `below` (inches from the top)."""
    rows, y = [], 0.0
    by_topic = dict(list(marks.groupby("topic_id", sort=False)))
    chains = stance_chains(marks)
    for topic in topics["topic_id"]:
        of_topic = by_topic.get(topic)
        if of_topic is None:
            continue
        rows.append({"topic": topic, "actor": None, "y": y + HEADER_INCHES * 0.6, "texts": []})
        y += HEADER_INCHES
        actors = list(dict.fromkeys(of_topic.sort_values("actor_id", kind="stable")["actor_id"]))
        for actor in actors:
            texts = []
            for own in (True, False):  # the actor's latest word, then the latest attributed one
                chosen = chains.get((topic, actor, own))
                if chosen is not None:
                    latest = chosen.sort_values(["date", "start"], na_position="first").iloc[-1]
                    texts.append(
                        _summary_line(latest, lang, names, 48 if narrow else SUMMARY_CHARS)
                    )
            lines = sum(text.count("\n") + 1 for text in texts)
            height = max(0.34, LINE_INCHES * lines + 0.1)
            centre = y + height / 2
            if narrow:  # the actor's name, its line (a change's date above it), its summary
                centre, height = y + 0.36, 0.5 + LINE_INCHES * lines + 0.1
            rows.append({"topic": topic, "actor": actor, "y": centre, "texts": texts,
                         "attributed": (topic, actor, False) in chains, "below": y + 0.5,
                         "name": y + 0.03, "own": (topic, actor, True) in chains})  # fmt: skip
            y += height
    return rows, y


def stance_chains(marks: pd.DataFrame) -> dict[tuple, pd.DataFrame]:
    """The marks of each chain, by (topic, actor, own): an actor's stances on a topic, stated
    (`own`) or attributed, in the order of `marks` (as a filter of `marks` would give them)."""
    return {
        (topic, actor, bool(own)): chain
        for (topic, actor, own), chain in marks.groupby(["topic_id", "actor_id", "own"], sort=False)
    }


def positions_height(
    marks: pd.DataFrame, topics: pd.DataFrame, lang: str, names, narrow: bool = False
) -> float:
    """Figure height in inches for the positions chart (`narrow`: its phone layout)."""
    return (2.9 if narrow else 1.45) + position_layout(marks, topics, lang, names, narrow)[1]


def positions_title(marks: pd.DataFrame, topics: pd.DataFrame, lang: str, names) -> str:
    """The finding: who changed stance, and where the actors stand furthest apart."""
    changes = stance_changes(marks)
    split = widest_split(marks)
    topic_names = topics.set_index("topic_id")[f"label_{lang}"]
    parts = []
    if not changes.empty:
        who = [names.get(a, a) for a in dict.fromkeys(changes["actor_id"])]
        key = "positions.title_changed_one" if len(who) == 1 else "positions.title_changed_many"
        parts.append(label(key, lang, actors=join_names(who, lang)))
    if split is not None:
        topic = str(topic_names.get(split[0], split[0]))
        if lang == "fr" and len(topic) > 1 and topic[1].islower():
            topic = topic[0].lower() + topic[1:]
        parts.append(label("positions.title_split", lang, topic=topic, gap=split[1]))
    if not parts:
        return label("positions.chart_title", lang)
    text = label("positions.title_join", lang).join(parts)
    return text[0].upper() + text[1:]


def plot_positions(
    ax: Axes,
    positions: pd.DataFrame,
    actors: pd.DataFrame,
    topics: pd.DataFrame,
    lang: str,
    end: pd.Timestamp | None = None,
    narrow: bool = False,
    marks: pd.DataFrame | None = None,
) -> Axes:
    """Each actor's known stances on each topic, on a time line: a dot where a stance was stated
    (a ring when someone else attributes it), a bar over the period it held when that is known,
    an arrow with its date where the actor changed its stance; undated stances in a column of
    their own; beside each row its latest stance in a line, dated, with who attributes it.
    Unknown stances are not drawn; each dot links to the source of its statement. `end` is the
    edition's day: nothing is drawn past it.
    `narrow`: the phone layout, each row's lines under it rather than beside it. `marks`:
    `stance_marks(positions, end)` when the caller has it already (worked out otherwise)."""
    check_language(lang)
    names = actor_names(actors, lang)
    marks = stance_marks(positions, end) if marks is None else marks
    if marks.empty:
        ax.set_axis_off()
        return ax
    rows, height = position_layout(marks, topics, lang, names, narrow)
    dated = marks["start"].dropna()
    first = dated.min() if len(dated) else (end or pd.Timestamp.today())
    last = end if end is not None else (dated.max() if len(dated) else first)
    right = max(pd.Timestamp(last), pd.Timestamp(first.year, 1, 1) + pd.DateOffset(years=1))
    left = pd.Timestamp(first.year, 1, 1) - (right - pd.Timestamp(first.year, 1, 1)) * 0.04
    span = right - left
    undated = marks["start"].isna().any()
    apart = 1.4 if narrow else 1.0  # the undated column further right on the phone's short axis
    nodate_x = right + span * 0.12 * apart
    ax.set_xlim(left, right + (span * 0.2 * apart if undated else span * 0.03))
    ax.set_ylim(height, 0)
    step = max(1, math.ceil((right.year - first.year) / (3 if narrow else 6)))
    years = list(range(first.year, right.year + 1, step))
    ticks = [pd.Timestamp(year, 1, 1) for year in years]
    tick_labels = [str(year) for year in years]
    if undated:
        ax.axvline(right + span * 0.05, color="#bbbbbb", linewidth=0.6, linestyle=(0, (2, 2)))
        ticks.append(nodate_x)
        tick_labels.append(wrap(label("common.unknown_date", lang), 5 if narrow else 10))
    ax.set_xticks([mdates.date2num(t) for t in ticks], tick_labels, fontsize=7)
    ax.grid(axis="x", color="#eeeeee")
    topic_names = topics.set_index("topic_id")[f"label_{lang}"]
    chains = stance_chains(marks)
    for row in rows:
        if row["actor"] is None:
            edge = ("figure fraction", 0.01) if narrow else ("axes fraction", 0)  # left edge
            ax.annotate(topic_names.get(row["topic"], row["topic"]), (edge[1], row["y"]),
                        xycoords=(edge[0], "data"),
                        va="center", ha="left",
                        fontsize=7.5, fontweight="bold", color="#222222",
                        gid="topic-heading")  # fmt: skip
            ax.axhline(row["y"] - HEADER_INCHES * 0.6, color="#dddddd", linewidth=0.6)
            continue
        both = row["own"] and row["attributed"]
        for own in (True, False):
            chain = chains.get((row["topic"], row["actor"], own))
            if chain is None:
                continue
            y = row["y"] + ((-0.07 if own else 0.07) if both else 0.0)
            _draw_stance_chain(ax, chain, y, own, right, nodate_x, lang)
        texts = "\n".join(row["texts"])
        if narrow:  # under the row, the whole figure wide
            note = ax.annotate(
                texts,
                (0.01, row["below"]),
                xycoords=("figure fraction", "data"),
                va="top",
                ha="left",
                fontsize=7,
                color="#333333",
                linespacing=1.15,
                gid="stance-summary",
                annotation_clip=False,
            )
            name = ax.annotate(names.get(row["actor"], row["actor"]), (0.01, row["name"]),
                               xycoords=("figure fraction", "data"), va="top", ha="left",
                               fontsize=7, fontweight="bold", color="#222222")  # fmt: skip
            for text in (name, note):
                text.set_in_layout(False)
            continue
        ax.annotate(texts, (1, row["y"]), xycoords=("axes fraction", "data"), xytext=(8, 0),
                    textcoords="offset points", va="center", ha="left", fontsize=7,
                    color="#333333", linespacing=1.15, gid="stance-summary")  # fmt: skip
    ax.set_yticks(
        [r["y"] for r in rows if r["actor"] is not None],
        [names.get(r["actor"], r["actor"]) for r in rows if r["actor"] is not None],
        fontsize=7.5,
    )
    if narrow:  # the name is written over the row: the time axis is the figure's width
        ax.tick_params(axis="y", labelleft=False)
    title = positions_title(marks, topics, lang, names)
    if narrow:  # the latest stance is written under each row
        title_and_subtitle(ax, title, label("positions.chart_subtitle_narrow", lang), narrow=True)
    else:
        _title_and_subtitle(ax, title, label("positions.chart_subtitle", lang))
    from matplotlib.transforms import ScaledTranslation

    below_axis = ax.transAxes + ScaledTranslation(0, -20 / 72, ax.figure.dpi_scale_trans)
    ax.legend(handles=_stance_legend(lang), loc="upper left", bbox_to_anchor=(0.0, 0.0),
              bbox_transform=below_axis, ncol=2 if narrow else 4, fontsize=7, handletextpad=0.3,
              columnspacing=1.0)  # fmt: skip
    return ax


# Past this many stances of one actor on one topic (never in the real data), a run of one stance
# restated is drawn as its first mark, and only the latest runs are drawn
MAX_CHAIN_MARKS = 20


def _draw_stance_chain(ax, chain, y, own, right, nodate_x, lang) -> None:
    """One actor's stances on one topic, stated or attributed: bars, dots and changes."""
    dated = chain[chain["start"].notna()].sort_values("start", kind="stable")
    collapsed = len(dated) > MAX_CHAIN_MARKS
    if collapsed:  # a run of one stance restated draws as its first mark
        run = (dated["stance"] != dated["stance"].shift()).cumsum()
        stops = dated.groupby(run)["stop"].transform("max")
        dated = dated.assign(stop=stops)[run != run.shift()].tail(MAX_CHAIN_MARKS)  # the latest
    # a collapsed chain writes its latest change alone: many changes' words would overprint
    said = _last_change(dated) if collapsed and own else None
    previous = None
    marks = rows_of(dated, "start", "stop", "stance", "source_id")
    for number, mark in enumerate(marks):
        colour = STANCE_COLOURS[int(mark.stance)]
        stop = mark.stop if pd.notna(mark.stop) else None
        if stop is None and own:  # an own stance holds until the next one, or to the edition day
            later = [m.start for m in marks if m.start > mark.start and m.stance != mark.stance]
            stop = min(later) if later else right
        if stop is not None and stop > mark.start:
            ax.plot([mark.start, stop], [y, y], color=colour, linewidth=3 if own else 2,
                    alpha=0.85, solid_capstyle="butt", zorder=2,
                    linestyle="-" if own else (0, (2, 1)))  # fmt: skip
        _stance_dot(ax, mark.start, y, int(mark.stance), own, source_link(mark))
        if own and previous is not None and int(previous.stance) != int(mark.stance):
            arrow = ax.annotate("", xy=(mark.start, y), xytext=(previous.start, y),
                                arrowprops={"arrowstyle": "-|>", "color": "#333333",
                                            "linewidth": 0.9, "shrinkA": 4, "shrinkB": 4},
                                zorder=4)  # fmt: skip
            if collapsed:  # between two marks of the row: nothing for the layout to measure
                arrow.set_in_layout(False)
        if (
            own
            and previous is not None
            and int(previous.stance) != int(mark.stance)
            and (said is None or number == said)
        ):
            ax.annotate(
                STANCE_TEXT[int(previous.stance)] + " → " + STANCE_TEXT[int(mark.stance)] + " · "
                + short_date(mark.start, lang), (mark.start, y), xytext=(0, 5),
                textcoords="offset points", ha="right", va="bottom", fontsize=7,
                color="#222222", gid="stance-change",
            )  # fmt: skip
        if own:
            previous = mark
    undated = chain[chain["start"].isna()].drop_duplicates("stance")
    for mark in rows_of(undated, "stance", "source_id"):
        _stance_dot(ax, nodate_x, y, int(mark.stance), own, source_link(mark))  # one undated


def crowded_chains(marks: pd.DataFrame) -> int:
    """How many chains (an actor's own or attributed stances on one topic, `stance_marks`) hold
    more than MAX_CHAIN_MARKS dated marks, and so are drawn collapsed (see _draw_stance_chain)."""
    dated = marks[marks["start"].notna()]
    return int((dated.groupby(["topic_id", "actor_id", "own"]).size() > MAX_CHAIN_MARKS).sum())


def _last_change(dated: pd.DataFrame) -> int | None:
    """The place, among a chain's dated marks in order, of its latest change of stance."""
    changed = (dated["stance"].astype(int).diff().fillna(0) != 0).to_numpy()
    return int(changed.nonzero()[0][-1]) if changed.any() else None


def _stance_dot(ax, x, y, stance: int, own: bool, url: str | None = None) -> None:
    """A stance's dot, linked to `url` (the source of its latest statement) when given."""
    colour = STANCE_COLOURS[stance]
    ax.plot([x], [y], marker="o", markersize=6.5, linestyle="none", color=colour,
            markerfacecolor=colour if own else "white", markeredgecolor=colour,
            markeredgewidth=0.6 if own else 1.6, zorder=3, url=url,
            gid=f"stance{stance:+d}" + ("" if own else "-attributed"))  # fmt: skip


def _stance_legend(lang: str) -> list:
    handles = [
        Line2D([], [], marker="o", linestyle="none", color=STANCE_COLOURS[s], markersize=6,
               label=label(f"positions.stance_{s + 2}", lang))
        for s in (2, 1, 0, -1, -2)
    ]  # fmt: skip
    handles.append(
        Line2D([], [], marker="o", linestyle="none", color="#555555", markerfacecolor="white",
               markeredgewidth=1.4, markersize=6, label=label("positions.legend_attributed", lang))
    )  # fmt: skip
    handles.append(
        Line2D([], [], color="#555555", linewidth=0.9, marker=">", markersize=4,
               label=label("positions.legend_change", lang))
    )  # fmt: skip
    return handles


def actor_names(actors: pd.DataFrame, lang: str) -> dict[str, str]:
    """Name of every actor in `lang` (the French name where one is given)."""
    names = actors.set_index("actor_id")
    if lang == "fr" and "name_fr" in names:
        return names["name_fr"].where(names["name_fr"] != "", names["name"]).to_dict()
    return names["name"].to_dict()


# --- Titles ------------------------------------------------------------------------------------


def title_and_subtitle(ax: Axes, title: str, subtitle: str, narrow: bool = False) -> None:
    """The finding in bold over the figure, and what is drawn under it, left-aligned. In the
    phone layout the subtitle, over the axes only, takes lines of the axes' width."""
    inches = ax.figure.get_figwidth()
    size = 9 if narrow else 10
    ax.figure.suptitle(wrap(title, int(inches * 72 / (0.64 * size))), x=0.01, ha="left",
                       fontsize=size, fontweight="bold")  # fmt: skip
    sub = (wrap(subtitle, 28), 7) if narrow else (wrap(subtitle, int(inches * 0.78 * 72 / 4.6)), 8)
    ax.set_title(sub[0], loc="left", fontsize=sub[1], fontweight="normal", color="#444444",
                 pad=6)  # fmt: skip


# --- Overall timeline with its phases ----------------------------------------------------------

TRACKS = ("structure", "money", "courts", "politics")
TRACK_OF_KIND = {
    "founding": "structure", "departure": "structure", "restructuring": "structure",
    "policy change": "structure", "partnership": "structure", "acquisition": "money",
    "investment": "money", "funding round": "money", "bid": "money", "lawsuit": "courts",
    "letter": "courts", "accusation": "courts", "statement": "politics", "interview": "politics",
    "publication": "politics", "regulation": "politics", "sanction": "politics",
}  # fmt: skip
TRACK_COLOURS = {"structure": BLUE, "money": GREEN, "courts": VERMILLION, "politics": ORANGE}
PHASE_SHADES = ("#ececec", "#f8f8f8")
SPAN_WIDTH = 5  # line width of a fact known only to the month or year, drawn over that period
KEY_LABELS = {"overview": 4, "zoom": 6, "single": 8}  # labelled facts per panel, at most
NARROW_KEY_LABELS = {"overview": 2, "zoom": 4, "single": 4}  # the same in the phone layout
MIN_KEY_LABELS = 3  # per panel: rank 2 facts are added when rank 1 gives fewer
LABEL_SIZE = 7  # points: the smallest text of the report
TRACK_SHARE = 0.34  # bottom share of a panel's height holding the four tracks
# Past this many marks of one kind, on lanes of the legal chart not crowded enough to be counted
# (helpers.density), they are drawn as one mark set without links (a link per mark costs an
# artist per mark); past it, a timeline track's spans over the same period are drawn once. Every
# fact's source stays listed at the end of the report.
MAX_LINKED_MARKS = 400
ZOOM_SHARE = 0.32  # the same in the zoomed panel, which holds more labels
TRACK_STRIP = 0.5  # a crowded track's strip of monthly counts: half the space between two rows
LABEL_GAP_PT = 3.0  # space kept between two labels, and between a label and a leader line


def _each_distinct(values: pd.Series, function: Callable[[object], object]) -> list:
    """`function` of each of `values`, worked out once for each distinct value."""
    codes, distinct = pd.factorize(values, use_na_sentinel=False)
    results = [function(value) for value in distinct]
    return [results[code] for code in codes.tolist()]


def timeline_facts(events: pd.DataFrame, steps: pd.DataFrame) -> pd.DataFrame:
    """Dated events and legal steps as one table: date, precision, track, importance, titles."""
    columns = ["date", "precision", "track", "importance", "title_en", "title_fr", "source_id"]
    parts = []
    if len(events):
        precision = events["date_precision"].astype(str) if "date_precision" in events else "day"
        parts.append(
            pd.DataFrame(
                {
                    "date": events["date"],
                    "precision": precision,
                    "track": _each_distinct(
                        events["kind"], lambda kind: TRACK_OF_KIND.get(str(kind), "politics")
                    ),
                    "importance": events.get("importance", 3),
                    "title_en": events.get("title_en", ""),
                    "title_fr": events.get("title_fr", ""),
                    "source_id": events.get("source_id", ""),
                }
            )
        )
    if len(steps):
        parts.append(
            pd.DataFrame(
                {
                    "date": steps["date"],
                    "precision": (
                        steps["date_precision"].astype(str) if "date_precision" in steps else "day"
                    ),
                    "track": "courts",
                    "importance": steps.get("importance", 3),
                    "title_en": steps.get("summary_en", ""),
                    "title_fr": steps.get("summary_fr", ""),
                    "source_id": steps.get("source_id", ""),
                }
            )
        )
    if not parts:
        return pd.DataFrame(columns=columns)
    facts = pd.concat(parts, ignore_index=True)
    facts = facts[facts["date"].notna()].copy()
    facts["importance"] = pd.to_numeric(facts["importance"], errors="coerce").fillna(3).astype(int)
    facts["precision"] = facts["precision"].replace({"unknown": "day", "nan": "day"})
    return facts.reset_index(drop=True)


def timeline_zoom_start(
    events: pd.DataFrame, steps: pd.DataFrame, end: pd.Timestamp
) -> pd.Timestamp | None:
    """Start of the dense years drawn again below: 1 January of the year of the first legal step.

    None when there is no legal step, or when those years would not be at most half the span
    while holding at least a third of the facts (then one panel says it all).
    """
    facts = timeline_facts(events, steps)
    dated_steps = steps["date"].dropna() if len(steps) else pd.Series(dtype="datetime64[ns]")
    if facts.empty or dated_steps.empty:
        return None
    start = pd.Timestamp(facts["date"].min().year, 1, 1)
    zoom = pd.Timestamp(dated_steps.min().year, 1, 1)
    inside = (facts["date"] >= zoom).sum()
    if (end - zoom) * 2 > (end - start) or inside * 3 < len(facts) or inside < 5:
        return None
    return zoom


def timeline_axes(ax: Axes, zoomed: bool) -> tuple[Axes, Axes | None]:
    """The given axes split into an overview and, below it, a taller panel for the dense years."""
    if not zoomed:
        return ax, None
    grid = ax.get_subplotspec().subgridspec(2, 1, height_ratios=(1.25, 1.5), hspace=0.08)
    figure = ax.figure
    ax.remove()
    return figure.add_subplot(grid[0]), figure.add_subplot(grid[1])


def short_title(text: str, width: int = 32, lines: int = 3) -> str:
    """The head of a title (before a colon, semicolon or comma), wrapped to `lines` lines."""
    text = " ".join(str(text).split())
    for mark in (" : ", ": ", "; ", " ; ", ", "):
        head = text.split(mark)[0]
        if len(head) >= 12:
            text = head
    wrapped = textwrap.wrap(bound(text), width, break_long_words=False, break_on_hyphens=False)
    return "\n".join(cut_short(wrapped, lines))


def spread_pick(dates: pd.Series, count: int) -> list:
    """Index labels of `count` dates spread as evenly as the dates allow: first, last, then
    repeatedly the one farthest from those already chosen."""
    if len(dates) <= count:
        return list(dates.index)
    ordered = dates.sort_values()
    chosen = [ordered.index[0], ordered.index[-1]][:count]
    stamps = ordered.to_numpy().astype("datetime64[ns]").astype("int64")
    day = 86_400 * 10**9

    def apart(at: int) -> np.ndarray:  # whole days from each date to the one at `at`
        return abs((stamps - stamps[at]) // day)

    positions = [0, len(ordered) - 1][:count]
    nearest = np.minimum(apart(0), apart(-1))  # whole days to the nearest date chosen
    while len(chosen) < count:
        free = np.ones(len(ordered), dtype=bool)
        free[positions] = False
        at = int(np.flatnonzero(free)[np.argmax(nearest[free])])  # the first farthest, by date
        positions.append(at)
        chosen.append(ordered.index[at])
        nearest = np.minimum(nearest, apart(at))
    return chosen


def key_facts(facts: pd.DataFrame, budget: int) -> pd.DataFrame:
    """The facts a panel labels: importance 1 first (2 when 1 gives fewer than MIN_KEY_LABELS),
    one a day, spread over time when there are more than `budget`."""
    if facts.empty or budget <= 0:
        return facts.iloc[0:0]
    ranked = facts.sort_values(["date", "importance"], kind="stable").drop_duplicates("date")
    chosen = ranked[ranked["importance"] <= 1]
    if len(chosen) < min(MIN_KEY_LABELS, budget):
        second = ranked[ranked["importance"] == 2]
        extra = spread_pick(second["date"], min(MIN_KEY_LABELS, budget) - len(chosen))
        chosen = pd.concat([chosen, second.loc[extra]])
    return chosen.loc[spread_pick(chosen["date"], budget)].sort_values("date")


def fact_label(fact, lang: str, width: int = 32, lines: int = 3) -> str:
    """'February 29, 2024' over the head of the fact's title."""
    from helpers.i18n import format_date

    date = format_date(fact.date.date(), lang, fact.precision)
    return f"{date}\n{short_title(getattr(fact, f'title_{lang}'), width, lines)}"


def _x_pixels(ax: Axes, date) -> float:
    """Where a date falls on the screen, in pixels from the figure's left edge."""
    return float(ax.transData.transform((mdates.date2num(pd.Timestamp(date)), 0))[0])


def _pixels(ax: Axes, points: float) -> float:
    return points * ax.figure.dpi / 72


def place_labels(
    ax: Axes,
    chosen: pd.DataFrame,
    lang: str,
    avoid: list,
    share: float,
    characters: int = 32,
    lines: int = 3,
    settled: bool = False,
) -> list:
    """Label each chosen fact above the tracks, a leader line down to a dot on its mark.

    The labels go from right to left, each at the lowest height where it touches no other label
    nor another's leader line, to the right of its leader (to the left at the right edge), under
    the phase names in `avoid`. Measured with the renderer after layout; a label that fits
    nowhere is left out. Returns the annotations drawn. The figure is laid out first (twice:
    its layout settles in two passes) unless `settled` (laid out since it last changed).
    """
    if chosen.empty:
        return []
    figure = ax.figure
    if not settled:
        settle_layout(figure)
        settle_layout(figure)  # the layout settles in two passes
    renderer = figure.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    gap = _pixels(ax, LABEL_GAP_PT)
    base = frame.y0 + frame.height * (share + 0.03)
    top = min((t.get_window_extent(renderer).y0 for t in avoid), default=frame.y1) - gap
    boxes: list = []  # (x0, y0, x1, y1, leader x)
    placed = []
    facts = sorted(chosen.itertuples(), key=lambda f: f.date, reverse=True)
    anchors = [_x_pixels(ax, fact.date) for fact in facts]
    left_out = []
    for strict in (True, False):  # first keeping clear of the leaders still to come, then not
        for index, fact in enumerate(facts if strict else left_out):
            text = fact_label(fact, lang, characters, lines)
            probe = ax.text(0, 0, text, fontsize=LABEL_SIZE, linespacing=1.15, transform=None)
            extent = probe.get_window_extent(renderer)
            probe.remove()
            width, height = extent.width, extent.height
            anchor = _x_pixels(ax, fact.date)
            pending = anchors[index + 1 :] if strict else []
            spot = _free_spot(boxes, pending, anchor, (width, height), (frame.x0, frame.x1),
                              (base, top), gap)  # fmt: skip
            if spot is None:
                left_out += [fact] if strict else []
                continue
            boxes.append((spot[0], spot[1], spot[0] + width, spot[1] + height, anchor))
            relpos = (anchor - spot[0]) / width
            placed.append((fact, text, relpos, (spot[1] - frame.y0) / frame.height, spot[0]))
    drawn = []
    for fact, text, relpos, fraction, left in placed:
        row = TRACKS.index(fact.track)
        ax.plot([fact.date], [row], marker="o", markersize=3.5, color=BLACK, zorder=4,
                linestyle="none")  # fmt: skip
        x = mdates.num2date(ax.transData.inverted().transform((left, 0))[0]).replace(tzinfo=None)
        note = ax.annotate(
            text,
            xy=(fact.date, row),
            xytext=(pd.Timestamp(x), fraction),
            textcoords=("data", "axes fraction"),
            fontsize=LABEL_SIZE,
            linespacing=1.15,
            color="#222222",
            ha="left",
            va="bottom",
            annotation_clip=False,
            url=source_link(fact),
            arrowprops={
                "arrowstyle": "-",
                "color": "#555555",
                "linewidth": 0.6,
                "shrinkA": 0,
                "shrinkB": 2,
                "relpos": (relpos, 0.0),
            },
        )
        note.set_in_layout(False)  # placed inside the axes
        drawn.append(note)
    return drawn


def _free_spot(
    boxes: list, pending: list, anchor: float, size: tuple, across: tuple, up: tuple,
    gap: float,
) -> tuple[float, float] | None:  # fmt: skip
    """Lowest, then nearest to starting at `anchor`, free place (x0, y0) for a label box of
    `size` whose bottom edge stays over its leader line at `anchor`, inside `across` and `up`
    (pixels), crossing no leader line of the labels still to place (at `pending`)."""
    width, height = size
    lowest = max(across[0], anchor - width)
    highest = min(anchor, across[1] - width)
    if highest < lowest:
        return None
    heights = sorted({up[0], *(o[3] + gap for o in boxes if o[3] + gap > up[0])})
    for y0 in heights:
        if y0 + height > up[1]:
            return None
        starts = {anchor, anchor - width}
        for o in boxes:
            starts |= {o[2] + gap + 0.5, o[0] - gap - width - 0.5, o[4] + gap + 0.5,
                       o[4] - gap - width - 0.5}  # fmt: skip
        starts = {min(max(x0, lowest), highest) for x0 in starts}
        for x0 in sorted(starts, key=lambda x: (abs(x - anchor), x)):
            box = (x0, y0, x0 + width, y0 + height, anchor)
            if any(x0 - gap <= x <= x0 + width + gap for x in pending):
                continue
            if all(_apart(box, other, gap) for other in boxes):
                return x0, y0
    return None


def _apart(a: tuple, b: tuple, gap: float) -> bool:
    """Two label boxes (x0, y0, x1, y1, leader x) neither touching nor crossing the other's
    leader line, which runs down from a box's bottom to the tracks."""
    if a[0] < b[2] + gap and b[0] < a[2] + gap and a[1] < b[3] + gap and b[1] < a[3] + gap:
        return False
    for box, other in ((a, b), (b, a)):  # a leader below `other` must not cross `box`
        if box[1] < other[1] and box[0] - gap <= other[4] <= box[2] + gap:
            return False
    return True


def _phase_names(
    ax: Axes, ordered: pd.DataFrame, bounds: list, left: pd.Timestamp, right: pd.Timestamp,
    lang: str, settled: bool = False,
) -> tuple[list, list[int]]:  # fmt: skip
    """Each phase's name at the top of its band where it fits (on two lines if need be), its
    number otherwise. Returns the name texts and the numbers of the phases not named. The
    figure is laid out first unless `settled` (laid out since it last changed)."""
    figure = ax.figure
    if not settled:
        settle_layout(figure)
    renderer = figure.canvas.get_renderer()
    pad = _pixels(ax, 2)
    texts, numbered = [], []
    for index, (start, stop) in enumerate(itertools.pairwise(bounds)):
        start, stop = max(start, left), min(stop, right)
        if stop <= start:
            continue
        x0, x1 = (_x_pixels(ax, d) for d in (start, stop))
        name = str(ordered.iloc[index][f"label_{lang}"])
        shifted = offset_copy(ax.get_xaxis_transform(), figure, x=2, units="points")
        text = ax.text(start, 0.97, "", transform=shifted, ha="left", va="top",
                       fontsize=LABEL_SIZE, color="#333333", fontweight="bold")  # fmt: skip
        text.set_in_layout(False)  # inside its band
        halves = [textwrap.wrap(name, len(name) // 2 + extra, break_long_words=False)
                  for extra in range(1, 8)]  # fmt: skip
        two_lines = next(("\n".join(lines) for lines in halves if len(lines) <= 2), name)
        for candidate in (name, two_lines, str(index + 1)):
            text.set_text(candidate)
            if text.get_window_extent(renderer).width + 2 * pad <= x1 - x0:
                break
        else:
            text.set_text("")
        if text.get_text() == str(index + 1):
            numbered.append(index + 1)
        texts.append(text)
    return texts, numbered


def _timeline_panel(
    ax: Axes, facts: pd.DataFrame, phases: pd.DataFrame, lang: str, left: pd.Timestamp,
    right: pd.Timestamp, counts: bool, share: float = TRACK_SHARE, narrow: bool = False,
    linked_before: pd.Timestamp | None = None,
) -> None:  # fmt: skip
    """One panel's phase bands and a mark per fact on its track, from `left` to `right`; a mark
    links to its source, but from `linked_before` on (the years the zoomed panel draws again,
    where its marks link) it does not."""
    ordered = phases.sort_values("start")
    bounds = [*ordered["start"], right]
    for index, (start, stop) in enumerate(itertools.pairwise(bounds)):
        if min(stop, right) > max(start, left):
            ax.axvspan(max(start, left), min(stop, right), color=PHASE_SHADES[index % 2],
                       zorder=0, linewidth=0)  # fmt: skip
            if start >= left:
                ax.axvline(start, color="#bbbbbb", linewidth=0.6, zorder=1)
    shown = facts[(facts["date"] >= left) & (facts["date"] <= right)]
    strips = crowded(facts["track"]) if len(facts) else []  # the same rows in every panel
    for row, track in enumerate(TRACKS):
        on_track = shown[shown["track"] == track]
        days = on_track[on_track["precision"] == "day"]
        marks = {"marker": "|", "markersize": 9, "markeredgewidth": 1.4, "linestyle": "none",
                 "color": TRACK_COLOURS[track], "alpha": 0.85, "zorder": 3,
                 "clip_on": False}  # fmt: skip
        if track in strips:  # too many to tell apart: counted by month, known to the day or month
            counted = on_track[on_track["precision"] != "year"]
            draw_strip(ax, counted["date"], row, TRACK_STRIP, TRACK_COLOURS[track], lang, left,
                       right)  # fmt: skip
            days = days.iloc[:0]
            on_track = on_track[on_track["precision"] == "year"]
        for fact in rows_of(days, "date", "source_id"):  # each links its source
            # a fact inside the panel: unclipped (no clip path written for each mark), and left
            # out of the layout's measures, which would otherwise visit every mark at each draw
            ax.plot([fact.date], [row], **marks,
                    url=source_link(fact) if linked_before is None or fact.date < linked_before
                    else None)[0].set_in_layout(False)  # fmt: skip
        coarse = on_track[on_track["precision"] != "day"]
        if len(coarse) > MAX_LINKED_MARKS or track in strips:  # the same period, the same ink
            coarse = coarse.drop_duplicates(["date", "precision"])
        for fact in rows_of(coarse, "date", "precision", "source_id"):
            period = "Y" if fact.precision == "year" else "M"
            last = min(fact.date.to_period(period).end_time, right)
            ax.plot([fact.date, last], [row] * 2, color=TRACK_COLOURS[track],
                    linewidth=SPAN_WIDTH, alpha=0.35, solid_capstyle="butt", zorder=2,
                    url=source_link(fact) if linked_before is None or fact.date < linked_before
                    else None)  # fmt: skip
        if counts:
            ax.text(1.005, row, str(len(shown[shown["track"] == track])),
                    transform=ax.get_yaxis_transform(),
                    va="center", fontsize=LABEL_SIZE, color="#555555")  # fmt: skip
    names = [code_label("track", track, lang) for track in TRACKS]
    ax.set_yticks(range(len(TRACKS)), [wrap(name, 11) for name in names] if narrow else names)
    ax.tick_params(axis="y", labelsize=LABEL_SIZE + (0 if narrow else 0.5))
    rows = len(TRACKS) / share  # the tracks fill the bottom `share` of the panel
    ax.set_ylim(len(TRACKS) - 0.5, len(TRACKS) - 0.5 - rows)
    _year_axis(ax, left, right)
    if (right - left).days < 4 * 365:
        ax.xaxis.set_minor_locator(TicksPerView(mdates.MonthLocator(bymonth=(4, 7, 10))))
        ax.tick_params(axis="x", which="minor", length=2, labelsize=LABEL_SIZE)
    if (right - left).days < 2 * 366:  # a year or two: the quarters are named
        from helpers.i18n import MONTHS

        ax.xaxis.set_minor_formatter(
            FuncFormatter(lambda x, _: MONTHS[lang][mdates.num2date(x).month - 1])
        )
    ax.set_xlim(left, right)
    ax.grid(False)


def timeline_title(facts: pd.DataFrame, end: pd.Timestamp, lang: str) -> str:
    """The finding: how long the legal fight has lasted and what share of the facts it holds.

    `facts` is `timeline_facts(...)`; the legal fight starts with the first fact on the courts
    track that is a legal step or lawsuit. Without one, or when it opens the story, the title
    says how many facts span which years."""
    from helpers.i18n import format_number

    if facts.empty:
        return label("timeline.title_empty", lang)
    first, last = facts["date"].min(), min(facts["date"].max(), end)
    courts = facts[facts["track"] == "courts"]["date"]
    fight = courts.min() if len(courts) else None
    if len(facts) == 1:
        return label("timeline.title_plain_one", lang, year=first.year)
    if first.year == last.year:
        return label("timeline.title_plain_year", lang, count=len(facts), year=first.year)
    if fight is None or (fight - first).days < 365 or (end - fight).days < 30:
        return label(
            "timeline.title_plain", lang, count=len(facts), start=first.year, end=last.year
        )
    inside = int((facts["date"] >= fight).sum())
    share = round(100 * inside / len(facts))
    return label(
        "timeline.title",
        lang,
        after=duration(fight, end, lang),
        before=duration(first, fight, lang),
        share=label("common.percent", lang, value=format_number(share, lang)),
        rest=label("common.percent", lang, value=format_number(100 - share, lang)),
    )


def duration(start: pd.Timestamp, stop: pd.Timestamp, lang: str) -> str:
    """'8 years', '2.5 years', '7 months': a span rounded to the half year past a year."""
    from helpers.i18n import format_number

    days = (stop - start).days
    if days < 365:
        months = max(1, round(days / 30.44))
        return label("common.months_one" if months == 1 else "common.months", lang, count=months)
    years = round(days / 365.25 * 2) / 2
    if years == 1:
        return label("common.years_one", lang)
    text = format_number(years, lang, decimals=0 if years == int(years) else 1)
    return label("common.years", lang, count=text)


def timeline_key_facts(
    events: pd.DataFrame, steps: pd.DataFrame, end: pd.Timestamp, zoomed: bool,
    budgets: dict[str, int] = KEY_LABELS,
) -> pd.DataFrame:  # fmt: skip
    """The facts the timeline labels, by date: `key_facts` of each panel, the years before the
    zoom and the zoomed years each with their own budget when `zoomed`."""
    facts = timeline_facts(events, steps)
    facts = facts[facts["date"] <= end]
    zoom = timeline_zoom_start(events, steps, end) if zoomed else None
    if zoom is None:
        return key_facts(facts, budgets["single"])
    return pd.concat(
        [
            key_facts(facts[facts["date"] < zoom], budgets["overview"]),
            key_facts(facts[facts["date"] >= zoom], budgets["zoom"]),
        ]
    )


def plot_overall_timeline(
    ax: Axes, events: pd.DataFrame, steps: pd.DataFrame, phases: pd.DataFrame, lang: str,
    end: pd.Timestamp, zoom: Axes | None = None, narrow: bool = False,
) -> Axes:  # fmt: skip
    """Every dated event and legal step to `end` on four tracks over the named phases, the key
    facts labelled with their dates; on `zoom` (an axes below, from `timeline_axes`) the dense
    years again, wider. A fact known to the month or year is drawn over that whole period.

    `phases` has a `start` date column and `label_<lang>`; a phase runs to the next one's start.
    `narrow`: the phone layout (fewer and narrower labels, track names on two lines).
    """
    check_language(lang)
    facts = timeline_facts(events, steps)
    first = facts["date"].min() if len(facts) else end
    start = pd.Timestamp(first.year, 1, 1)
    end = max(end, start + pd.DateOffset(years=1))
    zoom_start = timeline_zoom_start(events, steps, end) if zoom is not None else None
    if zoom is not None and zoom_start is None:
        zoom.remove()
        zoom = None
    panels = [(ax, start, end, KEY_LABELS["single"])]
    if zoom is not None:
        panels = [(ax, start, zoom_start, KEY_LABELS["overview"]),
                  (zoom, zoom_start, end, KEY_LABELS["zoom"])]  # fmt: skip
    title_and_subtitle(
        ax,
        timeline_title(facts, end, lang),
        label(
            "timeline.subtitle_zoom" if zoom is not None else "timeline.subtitle",
            lang,
            count=len(facts),
            phases=len(phases),
        ),
        narrow,
    )
    track_share, zoom_share = (0.46, 0.4) if narrow else (TRACK_SHARE, ZOOM_SHARE)
    _timeline_panel(ax, facts, phases, lang, start, end, counts=True, share=track_share,
                    narrow=narrow, linked_before=zoom_start)  # fmt: skip
    if zoom is not None:
        _timeline_panel(zoom, facts, phases, lang, zoom_start, end, counts=False,
                        share=zoom_share, narrow=narrow)  # fmt: skip
        ax.axvspan(zoom_start, end, ymin=0, ymax=track_share, fill=False, edgecolor="#333333",
                   linewidth=0.8, linestyle=(0, (2, 2)), zorder=5)  # fmt: skip
        zoom.set_title(
            label("timeline.zoom_title", lang, start=zoom_start.year, end=end.year)
            if end.year > zoom_start.year
            else label("timeline.zoom_title_year", lang, year=zoom_start.year),
            loc="left", fontsize=8, fontweight="bold", color="#333333", pad=4,
        )  # fmt: skip
    ordered = phases.sort_values("start")
    bounds = [*ordered["start"], end]
    # a name or a label is placed out of the layout: once laid out for the first panel, the
    # figure needs no new layout for the second
    names = {panel: _phase_names(panel, ordered, bounds, left, end, lang, settled=n > 0)
             for n, (panel, left, _, _) in enumerate(panels)}  # fmt: skip
    numbered = sorted({n for _, numbers in names.values() for n in numbers})
    key = [
        label(
            "timeline.phase_key_item", lang, number=n, label=ordered.iloc[n - 1][f"label_{lang}"]
        ).replace(" ", "\u00a0")  # an item is never broken across lines
        for n in numbered
    ]
    key_row = (zoom if zoom is not None else ax).annotate(
        "", (0, 0), xycoords="axes fraction", xytext=(0, -16), textcoords="offset points",
        va="top", ha="left", fontsize=LABEL_SIZE, color="#333333",
    )  # fmt: skip
    key_row.set_text(
        wrap(label("timeline.phase_key", lang, phases="   ".join(key)), 45 if narrow else 95)
        if key
        else ""
    )
    budgets = NARROW_KEY_LABELS if narrow else KEY_LABELS
    chosen = timeline_key_facts(events, steps, end, zoom is not None, budgets)
    for panel, left, right, _ in panels:
        inside = chosen[(chosen["date"] >= left) & (chosen["date"] < right)]
        if panel is not ax or zoom is None:
            inside = chosen[chosen["date"] >= left]
        avoid = [t for t in names[panel][0] if t.get_text()]
        if panel is ax and zoom is not None:  # the overview: narrow labels, years are short
            place_labels(panel, inside, lang, avoid, track_share, characters=16 if narrow else 24)
        else:
            share = track_share if zoom is None else zoom_share
            place_labels(panel, inside, lang, avoid, share, characters=18 if narrow else 30,
                         lines=4, settled=panel is not ax)  # fmt: skip  # laid out for the overview
    return ax


# --- Relations between actors ------------------------------------------------------------------

RELATION_GROUPS = {
    "co-founded": "origin", "founded": "origin", "left": "origin", "invested in": "money",
    "donated to": "money", "acquired": "money", "bid for": "money", "sued": "legal",
    "partnered with": "alliance", "sided with": "alliance", "competes with": "rivalry",
}  # fmt: skip
RELATION_COLOURS = {
    "origin": BLUE,
    "money": GREEN,
    "legal": VERMILLION,
    "alliance": PURPLE,
    "rivalry": ORANGE,
}
TIE_ROW_INCHES = 0.2  # one tie: a row label and a dated note at 7 pt
NARROW_TIE_ROWS = 2.3  # rows a tie takes in the phone layout: its line, then its note under it


def tie_rows(relations: pd.DataFrame) -> pd.DataFrame:
    """The ties in the order the chart lists them: by kind of tie, then by date (undated last)."""
    groups = list(RELATION_COLOURS)
    rows = relations.assign(
        group=relations["relation"].astype(str).map(RELATION_GROUPS).fillna("alliance"),
    )
    rows = rows.assign(group_rank=rows["group"].map(groups.index))
    return rows.sort_values(
        ["group_rank", "since", "from_actor", "to_actor"], na_position="last", kind="stable"
    ).reset_index(drop=True)


def ties_height(relations: pd.DataFrame, narrow: bool = False) -> float:
    """Height in inches of the ties chart: a row per tie and per kind heading, at most a page;
    in the phone layout a tie takes two rows (its note under it) and the page is no limit."""
    groups = relations["relation"].astype(str).map(RELATION_GROUPS).nunique()
    if narrow:
        return 2.0 + TIE_ROW_INCHES * (NARROW_TIE_ROWS * len(relations) + 1.4 * groups)
    return min(9.0, 1.2 + TIE_ROW_INCHES * (len(relations) + 1.4 * groups))


def tie_note(tie, lang: str) -> str:
    """'sued, February 29, 2024' or 'bid for, February 10 to 14, 2025': kind and dates."""
    from helpers.i18n import format_date

    kind = code_label("relation", str(tie.relation), lang)
    if pd.isna(tie.since):
        return f"{kind}, {label('common.unknown_date', lang)}"
    since = format_date(tie.since.date(), lang, _precision(tie, "since"))
    if pd.isna(tie.until):
        return label("relations.tie_since", lang, kind=kind, since=since)
    until = format_date(tie.until.date(), lang, _precision(tie, "until"))
    start, stop = tie.since, tie.until
    if _precision(tie, "since") == _precision(tie, "until") == "day" and (
        (start.year, start.month) == (stop.year, stop.month)
    ):
        month = format_date(start.date(), lang, "month")
        first = "1er" if lang == "fr" and start.day == 1 else start.day
        return label("relations.tie_days", lang, kind=kind, first=first, last=stop.day,
                     month=month.split(" ")[0], year=start.year)  # fmt: skip
    return label("relations.tie_span", lang, kind=kind, since=since, until=until)


def _precision(tie, field: str) -> str:
    value = str(getattr(tie, f"{field}_precision", "day"))
    return value if value in ("day", "month", "year") else "day"


def relations_title(relations: pd.DataFrame, actors: pd.DataFrame, lang: str) -> str:
    """The finding: who is party to most ties, and how many of them are lawsuits."""
    if relations.empty:
        return label("relations.title_empty", lang)
    names = actor_names(actors, lang)
    if len(relations) == 1:
        tie = relations.iloc[0]
        return label(
            "relations.title_one",
            lang,
            who=names.get(tie["from_actor"], tie["from_actor"]),
            kind=code_label("relation", str(tie["relation"]), lang),
            whom=names.get(tie["to_actor"], tie["to_actor"]),
        )
    degree = pd.concat([relations["from_actor"], relations["to_actor"]]).value_counts()
    top = sorted(degree.index, key=lambda a: (-degree[a], a))[0]
    mine = relations[(relations["from_actor"] == top) | (relations["to_actor"] == top)]
    suits = int((mine["relation"].astype(str) == "sued").sum())
    values = {"busiest": names.get(top, top), "count": int(degree[top]), "ties": len(relations)}
    if values["count"] == len(relations):
        return label("relations.title_all", lang, **values)
    if suits:
        return label("relations.title", lang, suits=suits, **values)
    return label("relations.title_no_suits", lang, **values)


def plot_relations(
    ax: Axes, relations: pd.DataFrame, actors: pd.DataFrame, lang: str, narrow: bool = False
) -> Axes:
    """Who did what to whom, and when: a row per tie ('Musk → OpenAI'), grouped under a heading
    per kind of tie in its colour, a dot on a time axis where it began (a bar to its end when
    known) and beside it the kind of tie and its dates. A tie without a date is a hollow dot at
    the left edge, noted 'undated'. `narrow`: the phone layout, each note under its tie."""
    check_language(lang)
    names = actor_names(actors, lang)
    rows = tie_rows(relations)
    title_and_subtitle(
        ax, relations_title(relations, actors, lang), label("relations.subtitle", lang), narrow
    )
    dates = pd.concat([rows["since"], rows["until"]]).dropna() if len(rows) else pd.Series()
    first = dates.min() if len(dates) else pd.Timestamp("2015-01-01")
    last = dates.max() if len(dates) else first
    left = pd.Timestamp(first.year, 1, 1)
    right = pd.Timestamp(last.year + 1, 1, 1)
    ticks, labels, y = [], [], 0.0
    notes = []
    for _, members in rows.groupby("group_rank", sort=True):
        colour = RELATION_COLOURS[members["group"].iloc[0]]
        ax.text(0, y, code_label("relation_group", members["group"].iloc[0], lang).capitalize(),
                transform=ax.get_yaxis_transform(), ha="right", va="center", fontsize=8,
                fontweight="bold", color=colour)  # fmt: skip
        y += 1.1
        for tie in members.itertuples():
            row = wrap(
                label(
                    "relations.row",
                    lang,
                    who=names.get(tie.from_actor, tie.from_actor),
                    whom=names.get(tie.to_actor, tie.to_actor),
                ),
                16 if narrow else 40,
            )
            extra = (0.5 if narrow else 0.3) * row.count("\n")  # a label on two lines
            y += extra  # takes more room
            ticks.append(y)
            labels.append(row)
            undated = pd.isna(tie.since)
            x = left if undated else tie.since
            if not undated and pd.notna(tie.until):
                ax.plot([tie.since, tie.until], [y, y], color=colour, linewidth=3,
                        solid_capstyle="butt", zorder=2)  # fmt: skip
            ax.plot([x], [y], marker="o", markersize=5, linestyle="none", color=colour,
                    markerfacecolor="white" if undated else colour, markeredgewidth=1.2,
                    zorder=3, clip_on=False, url=source_link(tie))  # fmt: skip
            end = tie.until if not undated and pd.notna(tie.until) else x
            if narrow:  # the note under its line, from the left edge of the figure
                below = y + 0.55 + extra  # under the row's label too
                note = ax.annotate(tie_note(tie, lang), (0.01, below), xycoords=(
                                   "figure fraction", "data"), va="top", ha="left",
                                   fontsize=LABEL_SIZE, color="#222222", annotation_clip=False,
                                   url=source_link(tie))  # fmt: skip
                note.set_in_layout(False)
                y += NARROW_TIE_ROWS + extra
                continue
            notes.append(
                ax.annotate(
                    tie_note(tie, lang),
                    (end, y),
                    xytext=(5, 0),
                    textcoords="offset points",
                    va="center",
                    ha="left",
                    fontsize=LABEL_SIZE,
                    color="#222222",
                    annotation_clip=False,
                    url=source_link(tie),
                )
            )
            notes[-1].set_in_layout(False)  # kept inside the axes by _notes_inside
            notes[-1].start = x  # where the note goes when it must sit left of its mark
            y += 1 + extra
        y += 0.4
    ax.set_yticks(ticks, labels)
    ax.tick_params(axis="y", labelsize=LABEL_SIZE + (0 if narrow else 0.5))
    ax.set_ylim(max(y - 0.4, 1), -0.8)
    _year_axis(ax, left, right)
    ax.set_xlim(left, right)
    ax.grid(True, axis="x")
    ax.tick_params(axis="x", labelsize=LABEL_SIZE + (0 if narrow else 0.5))
    if narrow:
        ax.xaxis.set_major_locator(
            TicksPerView(mdates.YearLocator(base=4 if right.year - left.year > 8 else 2))
        )
    if notes:
        _notes_inside(ax, notes)
    return ax


def _notes_inside(ax: Axes, notes: list) -> None:
    """Put a dated note left of its mark where it would run past the right edge."""
    figure = ax.figure
    settle_layout(figure)
    renderer = figure.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    for note in notes:
        if note.get_window_extent(renderer).x1 > frame.x1:
            note.set_horizontalalignment("right")
            note.xy = (note.start, note.xy[1])
            note.xyann = (-5, 0)
