"""Charts of the report: pure functions drawing data on a given `ax`, in a language, returning it.

Each takes rows already chosen by the caller (see `helpers.context`), draws every row it is given,
and labels everything in `lang`. Sizes suit a figure printed at A4 text width; `figure_height`
gives the height that keeps rows legible for a number of rows.
"""

import itertools
import math
import textwrap
from collections.abc import Sequence

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

from helpers.i18n import (
    check_language,
    code_label,
    format_amount,
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

PURPOSE_ORDER = (
    "funding round",
    "investment",
    "pledge",
    "donation",
    "valuation",
    "stake value",
    "bid",
    "cost estimate",
    "damages sought",
    "alleged loss",
    "debt",
)
OPEN_UPWARDS = {"more than", "at least", "several"}
OPEN_DOWNWARDS = {"up to", "less than"}


def amount_rows(amounts: pd.DataFrame) -> pd.DataFrame:
    """Amounts in the order the chart draws them: grouped by purpose, then by date."""
    order = {purpose: rank for rank, purpose in enumerate(PURPOSE_ORDER)}
    return (
        amounts.assign(_group=amounts["purpose"].astype(str).map(order).fillna(len(order)))
        .sort_values(["_group", "date", "low_usd"], na_position="last", kind="stable")
        .drop(columns="_group")
    )


def plot_amounts(ax: Axes, amounts: pd.DataFrame, lang: str) -> Axes:
    """Every amount on a logarithmic dollar scale, grouped by purpose, uncertainty shown as stated.

    A filled dot is a figure stated as fact, a hollow dot a claim or opinion. An open-ended amount
    ("more than", "at least", "several") is an arrow from its stated floor to the right; a ceiling
    ("up to", "less than") an arrow to the left; a stated range a bar from low to high.
    """
    check_language(lang)
    rows = amount_rows(amounts)
    ticks, tick_labels, bold_ticks = [], [], []
    y = 0
    for purpose, group in rows.groupby(rows["purpose"].astype(str), sort=False):
        ticks.append(y)
        tick_labels.append(code_label("purpose", purpose, lang).upper())
        bold_ticks.append(len(ticks) - 1)
        y += 1
        for amount in group.itertuples(index=False):
            _draw_amount(ax, amount, y, lang)
            ticks.append(y)
            tick_labels.append(wrap(getattr(amount, f"label_{lang}"), 44))
            y += 1
        y += 0.4  # a gap between purposes
    ax.set_xscale("log")
    values = pd.concat([rows["low_usd"], rows["high_usd"]]).dropna()
    if len(values):
        # a decade below the smallest; room on the right for the arrows and value labels
        low, high = 10 ** math.floor(math.log10(values.min())), values.max() * 12
        ax.set_xlim(low, high)
        decades = math.log10(high / low)
        # every other decade on a wide range, so the tick labels never run into each other
        ax.xaxis.set_major_locator(LogLocator(base=100 if decades > 4 else 10))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _: format_money_short(value, lang)))
    ax.set_yticks(ticks, tick_labels)
    for index in bold_ticks:
        ax.get_yticklabels()[index].set_fontweight("bold")
    ax.set_ylim(max(y - 0.4, 1) - 0.5, -0.6)
    ax.set_xlabel(label("money.chart_xlabel", lang))
    ax.set_title(label("money.chart_title", lang), pad=34)
    ax.legend(
        handles=_amount_legend(lang),
        loc="lower center",
        bbox_to_anchor=(0.5, 1.0),
        ncol=2,
        fontsize=7,
    )
    return ax


def _draw_amount(ax: Axes, amount, y: float, lang: str) -> None:
    claim = amount.assertion != "fact"
    colour = VERMILLION if claim else BLUE
    face = "white" if claim else colour
    low = amount.low_usd
    high = amount.high_usd if pd.notna(amount.high_usd) else None
    end = low
    if high is not None and high != low:  # a stated range
        ax.plot([low, high], [y, y], color=colour, linewidth=2.2, solid_capstyle="butt", zorder=2)
        end = high
    elif amount.qualifier in OPEN_UPWARDS:
        end = low * 4
        _open_arrow(ax, low, end, y, colour)
    elif amount.qualifier in OPEN_DOWNWARDS:
        _open_arrow(ax, low, low / 4, y, colour)
    marker = "D" if amount.qualifier == "about" else "o"
    ax.plot(
        [low],
        [y],
        marker=marker,
        markersize=5.5,
        color=colour,
        markerfacecolor=face,
        markeredgewidth=1.3,
        linestyle="none",
        zorder=3,
    )
    text = format_amount(low, high, str(amount.qualifier), lang)
    ax.annotate(
        text,
        (end, y),
        xytext=(6, 0),
        textcoords="offset points",
        va="center",
        fontsize=7,
        color="#333333",
    )


def _open_arrow(ax: Axes, start: float, end: float, y: float, colour: str) -> None:
    """A dashed arrow from the stated figure towards where the amount is open."""
    style = {"arrowstyle": "-|>", "color": colour, "linewidth": 1.4, "shrinkA": 0, "shrinkB": 0,
             "linestyle": (0, (2, 1.5))}  # fmt: skip
    ax.annotate("", xy=(end, y), xytext=(start, y), zorder=2, arrowprops=style)


def _amount_legend(lang: str) -> list:
    return [
        Line2D(
            [], [], marker="o", color=BLUE, linestyle="none", label=label("money.legend_fact", lang)
        ),
        Line2D(
            [],
            [],
            marker="o",
            color=VERMILLION,
            markerfacecolor="white",
            linestyle="none",
            label=label("money.legend_claim", lang),
        ),
        Line2D(
            [],
            [],
            marker="D",
            color=GREY,
            linestyle="none",
            label=label("money.legend_about", lang),
        ),
        Line2D([], [], color=GREY, linestyle=(0, (2, 1.5)), label=label("money.legend_open", lang)),
    ]


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
