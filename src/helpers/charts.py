"""Charts of the report: pure functions drawing data on a given `ax`, in a language, returning it.

Each takes rows already chosen by the caller (see `helpers.context`), draws every row it is given,
and labels everything in `lang`. Sizes suit a figure printed at A4 text width; `figure_height`
gives the height that keeps rows legible for a number of rows.

The overall timeline may draw on two axes: `timeline_axes(ax, zoomed)` splits the axes a
`FigureSpec` gives into an overview and a zoomed panel below, which `plot_overall_timeline` takes
as `zoom`. Direct labels (the timeline's key facts, the ties' notes) are placed by measuring them
with the renderer after layout, so none touches another at the printed size.
"""

import itertools
import math
import textwrap

import matplotlib.dates as mdates
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator
from matplotlib.transforms import offset_copy

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


# --- Titles ------------------------------------------------------------------------------------


def title_and_subtitle(ax: Axes, title: str, subtitle: str) -> None:
    """The finding in bold over the figure, and what is drawn under it, left-aligned."""
    inches = ax.figure.get_figwidth()
    ax.figure.suptitle(wrap(title, int(inches * 72 / 6.4)), x=0.01, ha="left", fontsize=10,
                       fontweight="bold")  # fmt: skip
    ax.set_title(wrap(subtitle, int(inches * 0.78 * 72 / 4.6)), loc="left", fontsize=8,
                 fontweight="normal", color="#444444", pad=6)  # fmt: skip


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
MIN_KEY_LABELS = 3  # per panel: rank 2 facts are added when rank 1 gives fewer
LABEL_SIZE = 7  # points: the smallest text of the report
TRACK_SHARE = 0.34  # bottom share of a panel's height holding the four tracks
ZOOM_SHARE = 0.32  # the same in the zoomed panel, which holds more labels
LABEL_GAP_PT = 3.0  # space kept between two labels, and between a label and a leader line


def timeline_facts(events: pd.DataFrame, steps: pd.DataFrame) -> pd.DataFrame:
    """Dated events and legal steps as one table: date, precision, track, importance, titles."""
    columns = ["date", "precision", "track", "importance", "title_en", "title_fr"]
    parts = []
    if len(events):
        precision = events["date_precision"].astype(str) if "date_precision" in events else "day"
        parts.append(
            pd.DataFrame(
                {
                    "date": events["date"],
                    "precision": precision,
                    "track": [TRACK_OF_KIND.get(str(k), "politics") for k in events["kind"]],
                    "importance": events.get("importance", 3),
                    "title_en": events.get("title_en", ""),
                    "title_fr": events.get("title_fr", ""),
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
    wrapped = textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False)
    if len(wrapped) > lines:
        wrapped = wrapped[:lines]
        wrapped[-1] = wrapped[-1].rstrip(",;:") + "…"
    return "\n".join(wrapped)


def spread_pick(dates: pd.Series, count: int) -> list:
    """Index labels of `count` dates spread as evenly as the dates allow: first, last, then
    repeatedly the one farthest from those already chosen."""
    if len(dates) <= count:
        return list(dates.index)
    ordered = dates.sort_values()
    chosen = [ordered.index[0], ordered.index[-1]][:count]
    while len(chosen) < count:
        rest = ordered.drop(chosen)
        distance = rest.apply(lambda d: min(abs((d - dates[c]).days) for c in chosen))
        chosen.append(distance.idxmax())
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
) -> list:
    """Label each chosen fact above the tracks, a leader line down to a dot on its mark.

    The labels go from right to left, each at the lowest height where it touches no other label
    nor another's leader line, to the right of its leader (to the left at the right edge), under
    the phase names in `avoid`. Measured with the renderer after layout; a label that fits
    nowhere is left out. Returns the annotations drawn.
    """
    if chosen.empty:
        return []
    figure = ax.figure
    figure.canvas.draw()
    figure.canvas.draw()  # the layout settles in two passes
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
    lang: str,
) -> tuple[list, list[int]]:  # fmt: skip
    """Each phase's name at the top of its band where it fits (on two lines if need be), its
    number otherwise. Returns the name texts and the numbers of the phases not named."""
    figure = ax.figure
    figure.canvas.draw()
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
        halves = [textwrap.wrap(name, len(name) // 2 + extra) for extra in range(1, 8)]
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
    right: pd.Timestamp, counts: bool, share: float = TRACK_SHARE,
) -> None:  # fmt: skip
    """One panel's phase bands and a mark per fact on its track, from `left` to `right`."""
    ordered = phases.sort_values("start")
    bounds = [*ordered["start"], right]
    for index, (start, stop) in enumerate(itertools.pairwise(bounds)):
        if min(stop, right) > max(start, left):
            ax.axvspan(max(start, left), min(stop, right), color=PHASE_SHADES[index % 2],
                       zorder=0, linewidth=0)  # fmt: skip
            if start >= left:
                ax.axvline(start, color="#bbbbbb", linewidth=0.6, zorder=1)
    shown = facts[(facts["date"] >= left) & (facts["date"] <= right)]
    for row, track in enumerate(TRACKS):
        on_track = shown[shown["track"] == track]
        days = on_track[on_track["precision"] == "day"]["date"]
        ax.plot(list(days), [row] * len(days), marker="|", markersize=9, markeredgewidth=1.4,
                linestyle="none", color=TRACK_COLOURS[track], alpha=0.85, zorder=3)  # fmt: skip
        for fact in on_track[on_track["precision"] != "day"].itertuples():
            period = "Y" if fact.precision == "year" else "M"
            last = min(fact.date.to_period(period).end_time, right)
            ax.plot([fact.date, last], [row] * 2, color=TRACK_COLOURS[track],
                    linewidth=SPAN_WIDTH, alpha=0.35, solid_capstyle="butt", zorder=2)  # fmt: skip
        if counts:
            ax.text(1.005, row, str(len(on_track)), transform=ax.get_yaxis_transform(),
                    va="center", fontsize=LABEL_SIZE, color="#555555")  # fmt: skip
    ax.set_yticks(range(len(TRACKS)), [code_label("track", track, lang) for track in TRACKS])
    ax.tick_params(axis="y", labelsize=LABEL_SIZE + 0.5)
    rows = len(TRACKS) / share  # the tracks fill the bottom `share` of the panel
    ax.set_ylim(len(TRACKS) - 0.5, len(TRACKS) - 0.5 - rows)
    _year_axis(ax, left, right)
    if (right - left).days < 4 * 365:
        ax.xaxis.set_minor_locator(mdates.MonthLocator(bymonth=(4, 7, 10)))
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
    events: pd.DataFrame, steps: pd.DataFrame, end: pd.Timestamp, zoomed: bool
) -> pd.DataFrame:
    """The facts the timeline labels, by date: `key_facts` of each panel, the years before the
    zoom and the zoomed years each with their own budget when `zoomed`."""
    facts = timeline_facts(events, steps)
    facts = facts[facts["date"] <= end]
    zoom = timeline_zoom_start(events, steps, end) if zoomed else None
    if zoom is None:
        return key_facts(facts, KEY_LABELS["single"])
    return pd.concat(
        [
            key_facts(facts[facts["date"] < zoom], KEY_LABELS["overview"]),
            key_facts(facts[facts["date"] >= zoom], KEY_LABELS["zoom"]),
        ]
    )


def plot_overall_timeline(
    ax: Axes, events: pd.DataFrame, steps: pd.DataFrame, phases: pd.DataFrame, lang: str,
    end: pd.Timestamp, zoom: Axes | None = None,
) -> Axes:  # fmt: skip
    """Every dated event and legal step to `end` on four tracks over the named phases, the key
    facts labelled with their dates; on `zoom` (an axes below, from `timeline_axes`) the dense
    years again, wider. A fact known to the month or year is drawn over that whole period.

    `phases` has a `start` date column and `label_<lang>`; a phase runs to the next one's start.
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
    )
    _timeline_panel(ax, facts, phases, lang, start, end, counts=True)
    if zoom is not None:
        _timeline_panel(zoom, facts, phases, lang, zoom_start, end, counts=False, share=ZOOM_SHARE)
        ax.axvspan(zoom_start, end, ymin=0, ymax=TRACK_SHARE, fill=False, edgecolor="#333333",
                   linewidth=0.8, linestyle=(0, (2, 2)), zorder=5)  # fmt: skip
        zoom.set_title(
            label("timeline.zoom_title", lang, start=zoom_start.year, end=end.year)
            if end.year > zoom_start.year
            else label("timeline.zoom_title_year", lang, year=zoom_start.year),
            loc="left", fontsize=8, fontweight="bold", color="#333333", pad=4,
        )  # fmt: skip
    ordered = phases.sort_values("start")
    bounds = [*ordered["start"], end]
    names = {panel: _phase_names(panel, ordered, bounds, left, end, lang)
             for panel, left, _, _ in panels}  # fmt: skip
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
        wrap(label("timeline.phase_key", lang, phases="   ".join(key)), 95) if key else ""
    )
    chosen = timeline_key_facts(events, steps, end, zoom is not None)
    for panel, left, right, _ in panels:
        inside = chosen[(chosen["date"] >= left) & (chosen["date"] < right)]
        if panel is not ax or zoom is None:
            inside = chosen[chosen["date"] >= left]
        avoid = [t for t in names[panel][0] if t.get_text()]
        if panel is ax and zoom is not None:  # the overview: narrow labels, years are short
            place_labels(panel, inside, lang, avoid, TRACK_SHARE, characters=24)
        else:
            share = TRACK_SHARE if zoom is None else ZOOM_SHARE
            place_labels(panel, inside, lang, avoid, share, characters=30, lines=4)
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


def ties_height(relations: pd.DataFrame) -> float:
    """Height in inches of the ties chart: a row per tie and per kind heading, at most a page."""
    groups = relations["relation"].astype(str).map(RELATION_GROUPS).nunique()
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


def plot_relations(ax: Axes, relations: pd.DataFrame, actors: pd.DataFrame, lang: str) -> Axes:
    """Who did what to whom, and when: a row per tie ('Musk → OpenAI'), grouped under a heading
    per kind of tie in its colour, a dot on a time axis where it began (a bar to its end when
    known) and beside it the kind of tie and its dates. A tie without a date is a hollow dot at
    the left edge, noted 'undated'."""
    check_language(lang)
    names = actor_names(actors, lang)
    rows = tie_rows(relations)
    title_and_subtitle(
        ax, relations_title(relations, actors, lang), label("relations.subtitle", lang)
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
                40,
            )
            y += 0.3 * row.count("\n")  # a label on two lines takes more room
            ticks.append(y)
            labels.append(row)
            undated = pd.isna(tie.since)
            x = left if undated else tie.since
            if not undated and pd.notna(tie.until):
                ax.plot([tie.since, tie.until], [y, y], color=colour, linewidth=3,
                        solid_capstyle="butt", zorder=2)  # fmt: skip
            ax.plot([x], [y], marker="o", markersize=5, linestyle="none", color=colour,
                    markerfacecolor="white" if undated else colour, markeredgewidth=1.2,
                    zorder=3, clip_on=False)  # fmt: skip
            end = tie.until if not undated and pd.notna(tie.until) else x
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
                )
            )
            notes[-1].set_in_layout(False)  # kept inside the axes by _notes_inside
            notes[-1].start = x  # where the note goes when it must sit left of its mark
            y += 1 + 0.3 * row.count("\n")
        y += 0.4
    ax.set_yticks(ticks, labels)
    ax.tick_params(axis="y", labelsize=LABEL_SIZE + 0.5)
    ax.set_ylim(max(y - 0.4, 1), -0.8)
    _year_axis(ax, left, right)
    ax.set_xlim(left, right)
    ax.grid(True, axis="x")
    ax.tick_params(axis="x", labelsize=LABEL_SIZE + 0.5)
    if notes:
        _notes_inside(ax, notes)
    return ax


def _notes_inside(ax: Axes, notes: list) -> None:
    """Put a dated note left of its mark where it would run past the right edge."""
    figure = ax.figure
    figure.canvas.draw()
    renderer = figure.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    for note in notes:
        if note.get_window_extent(renderer).x1 > frame.x1:
            note.set_horizontalalignment("right")
            note.xy = (note.start, note.xy[1])
            note.xyann = (-5, 0)
