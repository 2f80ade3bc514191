"""Charts of the report: pure functions drawing data on a given `ax`, in a language, returning it.

Each takes rows already chosen by the caller (see `helpers.context`), draws every row it is given,
and labels everything in `lang`. Sizes suit a figure printed at A4 text width; `figure_height`
gives the height that keeps rows legible for a number of rows.
"""

import itertools
import math
import re
import textwrap
from collections.abc import Sequence

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle
from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

from helpers.i18n import (
    MONTHS,
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
ROW_INCHES = 0.24  # height of one row of a chart, enough for two lines of 7.5 pt text


def figure_height(rows: int, base: float = 1.3, per_row: float = ROW_INCHES) -> float:
    """Height in inches of a figure with `rows` rows of labels."""
    return base + per_row * max(rows, 1)


def wrap(text: str, width: int = LABEL_WIDTH) -> str:
    """`text` broken into lines of at most `width` characters (a longer word keeps its line)."""
    return textwrap.fill(str(text), width, break_long_words=False)  # words are never cut


def _year_axis(ax: Axes, start: pd.Timestamp, end: pd.Timestamp) -> None:
    end = max(end, start + pd.DateOffset(years=1))  # an edition of one day still spans its year
    ax.set_xlim(start, end)
    span_years = end.year - start.year + 1
    ax.xaxis.set_major_locator(mdates.YearLocator(base=max(1, math.ceil(span_years / 8))))
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))


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


def amount_label(amount, lang: str) -> str:
    """The row label: what the amount is and when ('xAI Series E, Jan. 2026'), wrapped."""
    what = _without_date(getattr(amount, f"label_{lang}"), lang)
    when = _date_short(amount, lang).replace(" ", NBSP)  # 'sans date' stays on one line
    text = label("money.mark_label", lang, what=what, date=when)
    return textwrap.fill(text, AMOUNT_LABEL_CHARS, break_long_words=False, break_on_hyphens=False)


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


def _row_inches(text: str) -> float:
    return AMOUNT_LINE_INCHES * (text.count("\n") + 1) + AMOUNT_ROW_PAD


def amount_layout(amounts: pd.DataFrame, lang: str, title: str = "", subtitle: str = "") -> dict:
    """Where everything goes, in inches from the top: header, then each panel's rows."""
    rows = amount_rows(amounts)
    header = 0.08
    if title:
        header += 0.2 * (wrap(title, TITLE_CHARS).count("\n") + 1)
    if subtitle:
        header += 0.16 * (wrap(subtitle, SUBTITLE_CHARS).count("\n") + 1)
    header += 0.42  # the key: two lines of 7 pt marks
    panels, top = [], header
    for panel in AMOUNT_PANELS:
        group = rows[rows["purpose"].astype(str).map(PANEL_OF_PURPOSE) == panel]
        if group.empty:
            continue
        labels = [amount_label(amount, lang) for amount in group.itertuples()]
        heights = [_row_inches(text) for text in labels]
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


def amounts_figure_height(amounts: pd.DataFrame, lang: str, title: str = "", subtitle: str = ""):
    """Height in inches of the amounts chart for these rows, in `lang`."""
    return amount_layout(amounts, lang, title, subtitle)["height"]


def money_decades(amounts: pd.DataFrame) -> tuple[float, float]:
    """The dollar scale shared by the panels: whole decades around every amount."""
    values = pd.concat([amounts["low_usd"], amounts["high_usd"]]).dropna()
    values = values[values > 0]
    if values.empty:
        return 1e6, 1e9
    low = 10 ** math.floor(math.log10(values.min()))
    return low, max(values.max() * 3, low * 100)  # room on the right for an arrow


def plot_amounts(
    ax: Axes, amounts: pd.DataFrame, lang: str, title: str = "", subtitle: str = ""
) -> list[Axes]:
    """Amounts as small multiples by kind — raised, valued, claimed — on one logarithmic scale.

    The panels replace `ax` in its figure, whose height should be `amounts_figure_height`. A
    filled mark is a figure stated as fact, a hollow one a claim or opinion; a dot is exact, a
    diamond approximate; "more than", "at least", "several" are open arrows to the right from the
    stated floor, "up to", "less than" to the left; a stated range is a band from low to high.
    Colour is the company; every row is labelled with what it is and its date, every mark with
    its value. Returns the panels, top to bottom.
    """
    check_language(lang)
    figure = ax.figure
    figure.set_layout_engine("none")
    ax.remove()
    width, height = figure.get_size_inches()
    layout = amount_layout(amounts, lang, title, subtitle)
    low, high = money_decades(amounts)
    left = AMOUNT_LABEL_INCHES + 0.1
    right = 0.3  # half a money tick label
    y = height - 0.08
    if title:
        figure.text(
            0.1 / width,
            y / height,
            wrap(title, TITLE_CHARS),
            fontsize=10,
            fontweight="bold",
            va="top",
            ha="left",
        )
        y -= 0.2 * (wrap(title, TITLE_CHARS).count("\n") + 1)
    if subtitle:
        figure.text(
            0.1 / width,
            y / height,
            wrap(subtitle, SUBTITLE_CHARS),
            fontsize=8,
            color="#444444",
            va="top",
            ha="left",
        )
        y -= 0.16 * (wrap(subtitle, SUBTITLE_CHARS).count("\n") + 1)
    _amount_key(figure, lang, rows=amounts, top=(y - 0.02) / height, left=0.02 / width)
    panels = []
    for spec in layout["panels"]:
        rect = (
            left / width,
            (height - spec["top"] - spec["height"]) / height,
            (width - left - right) / width,
            spec["height"] / height,
        )
        panel = figure.add_axes(rect)
        _draw_panel(panel, spec, lang, low, high)
        panels.append(panel)
    _place_values(panels)
    return panels


def _draw_panel(ax: Axes, spec: dict, lang: str, low: float, high: float) -> None:
    centres, y = [], 0.0
    for row_height in spec["heights"]:
        centres.append(y + row_height / 2)
        y += row_height
    for amount, centre, row_height in zip(
        spec["rows"].itertuples(index=False), centres, spec["heights"], strict=True
    ):
        _draw_amount(ax, amount, centre, row_height, lang)
    ax.set_ylim(y, 0)
    ax.set_yticks(centres, spec["labels"], fontsize=AMOUNT_FONT, linespacing=1.1)
    ax.set_xscale("log")
    ax.set_xlim(low, high)
    decades = range(round(math.log10(low)), math.floor(math.log10(high)) + 1)
    ax.xaxis.set_major_locator(FixedLocator([10.0**power for power in decades]))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: format_money_short(value, lang)))
    ax.tick_params(axis="x", labelsize=AMOUNT_FONT, length=0, pad=2)
    ax.grid(True, axis="x", which="major")
    ax.spines["bottom"].set_visible(False)
    heading = label(f"money.panel_{spec['panel']}", lang)
    ax.text(
        -AMOUNT_LABEL_INCHES / _axes_inches(ax)[0],
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


def _draw_amount(ax: Axes, amount, y: float, row_height: float, lang: str) -> None:
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
        )
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
    )
    ax._amount_starts = [*getattr(ax, "_amount_starts", []), start]


def _place_values(panels: list[Axes]) -> None:
    """A value that would run past the right edge goes to the left of its mark instead."""
    if not panels:
        return
    figure = panels[0].figure
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    for ax in panels:
        values = [text for text in ax.texts if text.get_gid() == "value"]
        right = ax.get_window_extent(renderer).x1
        for text, start in zip(values, ax._amount_starts, strict=True):
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


def _amount_key(figure, lang: str, rows: pd.DataFrame, top: float, left: float) -> None:
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
    first = figure.legend(
        handles=companies, ncol=max(len(companies), 1), bbox_to_anchor=(left, top), **style
    )
    figure.add_artist(first)
    second_top = top - 0.19 / figure.get_size_inches()[1]
    figure.legend(handles=marks, ncol=len(marks), bbox_to_anchor=(left, second_top), **style)


# --- Lawsuit chronology ------------------------------------------------------------------------

STEP_GROUPS = {
    "complaint": "filing", "refiling": "filing", "amended complaint": "filing",
    "counterclaim": "filing", "withdrawal": "withdrawal", "motion": "motion",
    "opposition": "motion", "hearing": "hearing", "scheduling order": "hearing", "trial": "hearing",
    "ruling": "ruling", "verdict": "ruling", "regulator decision": "ruling",
    "letter to a regulator": "letter", "appeal announced": "appeal",
}  # fmt: skip
STEP_STYLE = {  # marker, colour
    "filing": ("o", BLUE), "withdrawal": ("X", BLACK), "motion": ("s", ORANGE),
    "hearing": ("v", SKY), "ruling": ("D", VERMILLION), "letter": ("P", GREEN),
    "appeal": ("^", PURPLE),
}  # fmt: skip


def number_steps(steps: pd.DataFrame) -> pd.DataFrame:
    """Legal steps in date order with `number` 1..N, the key shared by the chart and its table."""
    same_day_order = steps["sequence"].fillna(0) if "sequence" in steps else 0
    ordered = steps.assign(_order=same_day_order).sort_values(
        ["date", "_order", "action_id"], kind="stable"
    )
    return ordered.drop(columns="_order").assign(number=range(1, len(ordered) + 1))


def stack_in_lanes(
    dates: pd.Series, lanes: pd.Series, min_gap_days: float, max_levels: int | None = None
) -> pd.Series | None:
    """Sub-row of each step in its lane, so that no two steps of a sub-row are closer than the gap.

    Returned in the order of `dates` (positionally), whatever their index; None as soon as a lane
    would need more than `max_levels` sub-rows (the caller then gives up numbering).
    """
    ordinals = [date.toordinal() for date in dates]
    lane_values = list(lanes)
    levels = [0] * len(ordinals)
    last_by_lane: dict[object, list[float]] = {}
    for position in sorted(range(len(ordinals)), key=lambda i: ordinals[i]):
        x = ordinals[position]
        ends = last_by_lane.setdefault(lane_values[position], [])
        level = next((i for i, end in enumerate(ends) if x - end >= min_gap_days), len(ends))
        if level == len(ends):
            if max_levels is not None and level >= max_levels:
                return None
            ends.append(x)
        else:
            ends[level] = x
        levels[position] = level
    return pd.Series(levels, index=dates.index)


LANE_GAP = 0.8  # rows of space between two lanes
SUB_ROW_INCHES = 0.28  # one sub-row: a mark and its number above it, at 7 pt
LEGAL_PLOT_WIDTH = 4.4  # inches of the time axis in a figure of A4 text width


def legal_lanes(steps: pd.DataFrame) -> pd.Series:
    """Lane of each step: one per case, ordered by the case's first step."""
    first = steps.groupby("case_id")["date"].min().sort_values()
    return steps["case_id"].map({case: lane for lane, case in enumerate(first.index)})


def legal_layout(
    steps: pd.DataFrame, width_inches: float = LEGAL_PLOT_WIDTH, max_rows: int | None = None
) -> tuple[pd.DataFrame, float] | None:
    """Where each step goes: its lane (one per case, by first date), its sub-row and its `y`.

    Sub-rows keep two numbers of a lane at least their width apart; returns the steps (reindexed
    0..N-1) with `lane`, `level` and `y`, and the total height in rows, or None when a lane would
    need more than `max_rows` sub-rows.
    """
    steps = steps.reset_index(drop=True)
    lanes = legal_lanes(steps)
    start, end = _legal_span(steps)
    digits = len(str(len(steps)))
    number_points = 4.6 * digits + 4
    min_gap = (end - start).days * number_points / (width_inches * 72)
    levels = stack_in_lanes(steps["date"], lanes, min_gap, max_rows)
    if levels is None:
        return None
    depth = levels.groupby(lanes).max() + 1
    base, position = {}, 0.0
    for lane in sorted(depth.index):
        base[lane] = position
        position += depth[lane] + LANE_GAP
    placed = steps.assign(
        lane=lanes,
        level=levels,
        y=[base[lane] + level for lane, level in zip(lanes, levels, strict=True)],
    )
    if max_rows is not None and position - LANE_GAP > max_rows:
        return None
    return placed, position - LANE_GAP


def _legal_span(steps: pd.DataFrame) -> tuple[pd.Timestamp, pd.Timestamp]:
    return steps["date"].min() - pd.DateOffset(months=3), steps["date"].max() + pd.DateOffset(
        months=3
    )


MAX_NUMBERED_INCHES = 9.0  # past this height the chart would not fit a page at 7 pt


NUMBERED_ROWS = int((MAX_NUMBERED_INCHES - 1.9) / SUB_ROW_INCHES)  # sub-rows that fit a page


def numbers_fit(steps: pd.DataFrame, width_inches: float = LEGAL_PLOT_WIDTH) -> bool:
    """Whether every step can carry its number on a chart that fits one A4 page."""
    return not steps.empty and legal_layout(steps, width_inches, NUMBERED_ROWS) is not None


def legal_figure_height(steps: pd.DataFrame, width_inches: float = LEGAL_PLOT_WIDTH) -> float:
    """Figure height in inches: room for every numbered sub-row, or one row per case when dense."""
    layout = legal_layout(steps, width_inches, NUMBERED_ROWS) if not steps.empty else None
    if layout is not None:
        return 1.9 + SUB_ROW_INCHES * layout[1]
    return 1.9 + 0.5 * max(steps["case_id"].nunique(), 1)


def plot_legal_timeline(
    ax: Axes,
    steps: pd.DataFrame,
    cases: pd.DataFrame,
    lang: str,
    width_inches: float = LEGAL_PLOT_WIDTH,
) -> Axes:
    """One lane per case; each step a numbered mark shaped by its kind, on a time axis.

    `steps` carries `number` (see `number_steps`); numbers that would collide are stacked on
    sub-rows of the lane (`legal_layout`), so labels never overlap. When there are too many steps
    for their numbers to fit one page, the marks stay, one row per case, without numbers: the
    table that goes with the chart lists every step. Size the figure with `legal_figure_height`.
    """
    check_language(lang)
    if steps.empty:
        ax.set_axis_off()
        return ax
    layout = legal_layout(steps, width_inches, NUMBERED_ROWS)
    numbered = layout is not None
    if layout is not None:
        placed, height = layout
    else:  # too dense to number: one row per case
        placed = steps.reset_index(drop=True)
        placed = placed.assign(lane=legal_lanes(placed), y=legal_lanes(placed).astype(float))
        height = float(placed["lane"].max()) + 1
    groups = placed["step"].astype(str).map(STEP_GROUPS).fillna("motion")
    for group, steps_of_group in placed.groupby(groups, sort=False):  # one mark set per kind
        marker, colour = STEP_STYLE[group]
        ax.plot(
            steps_of_group["date"],
            steps_of_group["y"],
            marker=marker,
            color=colour,
            linestyle="none",
            zorder=3,
            markersize=6.5 if numbered else 5,
            alpha=1 if numbered else 0.6,
            markeredgecolor="white",
            markeredgewidth=0.6,
        )
    if numbered:
        for step in placed.itertuples(index=False):
            ax.annotate(
                str(step.number),
                (step.date, step.y),
                xytext=(0, 4.5),
                textcoords="offset points",
                ha="center",
                va="bottom",
                fontsize=7,
            )
    names = cases.set_index("case_id")[f"name_{lang}"]
    lanes = placed.groupby("lane").agg(
        case=("case_id", "first"), top=("y", "min"), bottom=("y", "max")
    )
    ax.set_yticks(
        [(row.top + row.bottom) / 2 for row in lanes.itertuples()],
        [wrap(names.get(row.case, row.case), 28) for row in lanes.itertuples()],
    )
    gap = LANE_GAP if numbered else 0.0
    for row in list(lanes.itertuples())[1:]:
        ax.axhline(
            row.top - gap / 2 - (0.2 if numbered else 0.5), color="#e0e0e0", linewidth=0.6, zorder=1
        )
    ax.set_ylim(height - 0.5, -1.0 if numbered else -0.6)
    _year_axis(ax, *_legal_span(placed))
    ax.grid(axis="x", color="#eeeeee")
    ax.set_title(label("courts.chart_title", lang))
    used = [
        g for g in STEP_STYLE if g in {STEP_GROUPS.get(str(s), "motion") for s in placed["step"]}
    ]
    handles = [
        Line2D(
            [],
            [],
            marker=STEP_STYLE[g][0],
            color=STEP_STYLE[g][1],
            linestyle="none",
            label=code_label("step_group", g, lang),
        )
        for g in used
    ]
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, 0.0),
        ncol=min(4, len(handles)),
        fontsize=7,
        borderaxespad=2.2,
    )
    return ax


# --- Stakeholder positions ---------------------------------------------------------------------

STANCE_COLOURS = {-2: "#b35806", -1: "#f1a340", 0: "#f7f7f7", 1: "#998ec3", 2: "#542788"}  # PuOr
UNKNOWN_COLOUR = "#ececec"


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


def plot_positions(
    ax: Axes, positions: pd.DataFrame, actors: pd.DataFrame, topics: pd.DataFrame, lang: str
) -> Axes:
    """Actors x topics on the stance scale -2..+2; unknown shown as '?', never as neutral.

    A row is an actor's position as stated by the actor itself, or as attributed to it by someone
    else (the row label names who).
    """
    check_language(lang)
    matrix = position_matrix(positions)
    topic_ids = [t for t in topics["topic_id"] if t in matrix.columns]
    names = actor_names(actors, lang)
    for row, (actor, asserter) in enumerate(matrix.index):
        for column, topic in enumerate(topic_ids):
            stance = matrix.loc[(actor, asserter), topic]
            known = pd.notna(stance)
            colour = STANCE_COLOURS[int(stance)] if known else UNKNOWN_COLOUR
            ax.add_patch(_cell(column, row, colour, hatch=None if known else "////"))
            text = f"{int(stance):+d}".replace("+0", "0").replace("-", "−") if known else "?"
            dark = known and abs(int(stance)) == 2
            ax.text(
                column,
                row,
                text,
                ha="center",
                va="center",
                fontsize=8,
                color="white" if dark else "#333333",
                fontweight="bold" if known else "normal",
            )
    row_labels = [
        names.get(actor, actor)
        if actor == asserter
        else label(
            "positions.attributed",
            lang,
            actor=names.get(actor, actor),
            by=names.get(asserter, asserter),
        )
        for actor, asserter in matrix.index
    ]
    topic_labels = topics.set_index("topic_id")[f"label_{lang}"]
    ax.set_xticks(range(len(topic_ids)), [wrap(topic_labels[t], 11) for t in topic_ids])
    ax.xaxis.tick_top()
    ax.tick_params(axis="x", length=0, labelsize=7.5)
    ax.set_yticks(range(len(matrix.index)), [wrap(text, 26) for text in row_labels])
    ax.set_xlim(-0.5, len(topic_ids) - 0.5)
    ax.set_ylim(len(matrix.index) - 0.5, -0.5)
    ax.grid(False)
    ax.set_title(label("positions.chart_title", lang), pad=28)
    handles = [
        Patch(
            facecolor=STANCE_COLOURS[s],
            edgecolor="#999999",
            label=label(f"positions.stance_{s + 2}", lang),
        )
        for s in (2, 1, 0, -1, -2)
    ]
    handles.append(
        Patch(
            facecolor=UNKNOWN_COLOUR,
            hatch="////",
            edgecolor="#999999",
            label=label("positions.stance_unknown", lang),
        )
    )
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.02), ncol=3, fontsize=7)
    return keep_column_labels_apart(ax)


def keep_column_labels_apart(ax: Axes, smallest: float = 5.5, gap_pt: float = 2.0) -> Axes:
    """Shrink the x tick labels half a point at a time until no two neighbours touch.

    How wide a column is depends on the final layout, so the labels are measured after a draw.
    """
    labels = ax.get_xticklabels()
    size = labels[0].get_fontsize() if labels else smallest
    gap_px = gap_pt * ax.figure.dpi / 72
    while True:
        ax.figure.canvas.draw()
        boxes = [text.get_window_extent() for text in ax.get_xticklabels()]
        apart = all(a.x1 + gap_px <= b.x0 for a, b in itertools.pairwise(boxes))
        if apart or size <= smallest:
            return ax
        size -= 0.5
        ax.tick_params(axis="x", labelsize=size)


def _cell(x: float, y: float, colour: str, hatch: str | None):
    from matplotlib.patches import Rectangle

    return Rectangle(
        (x - 0.48, y - 0.45),
        0.96,
        0.9,
        facecolor=colour,
        edgecolor="white",
        hatch=hatch,
        linewidth=0.8,
    )


def actor_names(actors: pd.DataFrame, lang: str) -> dict[str, str]:
    """Name of every actor in `lang` (the French name where one is given)."""
    names = actors.set_index("actor_id")
    if lang == "fr" and "name_fr" in names:
        return names["name_fr"].where(names["name_fr"] != "", names["name"]).to_dict()
    return names["name"].to_dict()


# --- Overall timeline with its phases ----------------------------------------------------------

TRACKS = ("structure", "money", "courts", "politics")
TRACK_OF_KIND = {
    "founding": "structure", "departure": "structure", "restructuring": "structure",
    "policy change": "structure", "partnership": "structure", "acquisition": "money",
    "investment": "money", "funding round": "money", "bid": "money", "lawsuit": "courts",
    "letter": "courts", "accusation": "courts", "statement": "politics", "interview": "politics",
    "publication": "politics", "regulation": "politics", "sanction": "politics",
}  # fmt: skip
PHASE_SHADES = ("#f2f2f2", "#ffffff")


def plot_overall_timeline(
    ax: Axes, events: pd.DataFrame, steps: pd.DataFrame, phases: pd.DataFrame, lang: str,
    end: pd.Timestamp,
) -> Axes:  # fmt: skip
    """Every dated event and legal step from the first to `end`, on four tracks, over the phases.

    `phases` has a `start` date column and `label_<lang>`; a phase runs to the next one's start.
    """
    check_language(lang)
    start = pd.concat([events["date"], steps["date"]]).min()
    start = pd.Timestamp(start.year, 1, 1)
    ordered = phases.sort_values("start")
    bounds = [*ordered["start"], end]
    for index, (left, right) in enumerate(itertools.pairwise(bounds)):
        ax.axvspan(left, right, color=PHASE_SHADES[index % 2], zorder=0)
        ax.axvline(left, color="#bbbbbb", linewidth=0.6, zorder=1)
        # phases are numbered, not named, on the chart: names would collide in short phases
        ax.text(
            left + (right - left) / 2,
            -0.75,
            str(index + 1),
            ha="center",
            va="bottom",
            fontsize=8,
            fontweight="bold",
            color="#333333",
        )
    precisions = events["date_precision"].astype(str) if "date_precision" in events else "day"
    rows = [
        (TRACK_OF_KIND.get(str(kind), "politics"), date, precision)
        for kind, date, precision in zip(
            events["kind"], events["date"], pd.Series(precisions, index=events.index), strict=True
        )
    ]
    rows += [("courts", date, "day") for date in steps["date"]]
    colours = {"structure": BLUE, "money": GREEN, "courts": VERMILLION, "politics": ORANGE}
    for track_index, track in enumerate(TRACKS):
        on_track = [(date, precision) for name, date, precision in rows if name == track]
        days = [date for date, precision in on_track if precision == "day"]
        ax.plot(
            days,
            [track_index] * len(days),
            marker="|",
            markersize=13,
            markeredgewidth=1.6,
            linestyle="none",
            color=colours[track],
            alpha=0.85,
            zorder=3,
        )
        for date, precision in on_track:  # known to the month or year: drawn as that whole span
            if precision != "day":
                period = "Y" if precision == "year" else "M"
                last = min(date.to_period(period).end_time, end)
                ax.plot([date, last], [track_index] * 2, color=colours[track], linewidth=5,
                        alpha=0.35, solid_capstyle="butt", zorder=2)  # fmt: skip
        ax.text(
            1.005,
            track_index,
            str(len(on_track)),
            transform=ax.get_yaxis_transform(),
            va="center",
            fontsize=7,
            color="#555555",
        )
    ax.set_yticks(range(len(TRACKS)), [code_label("track", track, lang) for track in TRACKS])
    ax.set_ylim(len(TRACKS) - 0.5, -0.8)
    _year_axis(ax, start, end)
    ax.grid(False)
    ax.set_title(label("timeline.chart_title", lang), pad=14)
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


def circle_layout(actor_ids: Sequence[str]) -> dict[str, tuple[float, float]]:
    """Actors placed evenly on a circle, in the given order, the first at the top."""
    count = max(len(actor_ids), 1)
    return {
        actor: (math.sin(2 * math.pi * i / count), math.cos(2 * math.pi * i / count))
        for i, actor in enumerate(actor_ids)
    }


def spread_busiest(ordered: Sequence[str], hubs: int = 3) -> list[str]:
    """Circle order putting the `hubs` busiest actors (first in `ordered`) evenly apart.

    Their many arrows then cross the middle instead of bunching on one side of the circle.
    """
    count = len(ordered)
    slots: list[str | None] = [None] * count
    for rank, actor in enumerate(ordered[:hubs]):
        slots[rank * count // min(hubs, count)] = actor
    rest = iter(ordered[hubs:])
    return [slot if slot is not None else next(rest) for slot in slots]


def plot_relations(ax: Axes, relations: pd.DataFrame, actors: pd.DataFrame, lang: str) -> Axes:
    """Actors on a circle, an arrow for each kind of tie between two actors, coloured by kind.

    Ties of the same kind between the same two actors share one arrow, drawn thicker the more
    there are, so the map stays readable however many ties the data holds.
    """
    check_language(lang)
    involved = pd.unique(pd.concat([relations["from_actor"], relations["to_actor"]]))
    degree = pd.concat([relations["from_actor"], relations["to_actor"]]).value_counts()
    ordered = sorted(involved, key=lambda actor: (-degree[actor], actor))
    places = circle_layout(spread_busiest(ordered))
    names = actor_names(actors, lang)
    edges = (
        relations.assign(
            group=relations["relation"].astype(str).map(RELATION_GROUPS).fillna("alliance")
        )
        .groupby(["from_actor", "to_actor", "group"], sort=True)
        .size()
        .reset_index(name="count")
    )
    seen: dict[tuple[str, str], int] = {}
    for tie in edges.itertuples(index=False):
        pair = tuple(sorted((tie.from_actor, tie.to_actor)))
        bend = 0.12 + 0.12 * seen.get(pair, 0)
        seen[pair] = seen.get(pair, 0) + 1
        colour = RELATION_COLOURS[tie.group]
        ax.annotate(
            "",
            xy=places[tie.to_actor],
            xytext=places[tie.from_actor],
            zorder=2,
            arrowprops={
                "arrowstyle": "-|>",
                "color": colour,
                "linewidth": 1.2 + 0.8 * math.log2(tie.count),
                "shrinkA": 9,
                "shrinkB": 9,
                "connectionstyle": f"arc3,rad={bend}",
                "alpha": 0.9,
            },
        )
    for actor, (x, y) in places.items():
        ax.plot(
            [x],
            [y],
            marker="o",
            markersize=7 + 1.2 * min(degree[actor], 8),
            color="#444444",
            markerfacecolor="white",
            markeredgewidth=1.2,
            linestyle="none",
            zorder=3,
        )
        ax.annotate(
            wrap(names.get(actor, actor), 18),
            (x, y),
            xytext=(x * 16, y * 12 + (3 if y >= 0 else -3)),
            textcoords="offset points",
            ha="center" if abs(x) < 0.3 else ("left" if x > 0 else "right"),
            va="bottom" if y >= 0 else "top",
            fontsize=7.5,
        )
    ax.set_xlim(-1.75, 1.75)
    ax.set_ylim(-1.4, 1.35)
    ax.set_aspect("equal")
    ax.set_axis_off()
    ax.set_title(label("relations.chart_title", lang))
    used = [
        g
        for g in RELATION_COLOURS
        if g in {RELATION_GROUPS.get(str(r), "alliance") for r in relations["relation"]}
    ]
    handles = [
        Line2D(
            [],
            [],
            color=RELATION_COLOURS[g],
            linewidth=2,
            label=code_label("relation_group", g, lang),
        )
        for g in used
    ]
    ax.legend(
        handles=handles,
        loc="lower center",
        bbox_to_anchor=(0.5, -0.08),
        ncol=len(handles),
        fontsize=7,
    )
    return ax
