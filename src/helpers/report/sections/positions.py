"""Positions: each topic's stances in prose, dated, saying when an actor changed; and a chart of
every known stance on a time line, per topic and actor (no cell for what is unknown)."""

import pandas as pd

from helpers.charts import (
    MAX_CHAIN_MARKS,
    NARROW_WIDTH,
    counted,
    crowded_chains,
    join_names,
    plot_positions,
    position_layout,
    positions_height,
    positions_title,
    stance_changes,
    stance_marks,
)
from helpers.context import ReportContext
from helpers.i18n import format_span, label
from helpers.report.prose import join, say
from helpers.report.section import FigureSpec, Section
from helpers.report.words import FIGURE_WIDTH, names, no_data, section, sources_note, when

ORDER = 50
MAX_POSITION_ROWS = 30  # actor rows of the chart; the prose lists every topic


def _on(date: pd.Timestamp, precision: str, lang: str) -> str:
    """'le 10 janvier 2024' / 'January 10, 2024', 'décembre 2024': a date after 'since'."""
    text = when(date, precision, lang)
    return label(
        "positions.on_day" if precision == "day" else "positions.on_period", lang, date=text
    )


ATTRIBUTIONS = 2  # ways the catalogue words who attributes a stance (positions.said_N)


def _stance_words(ctx: ReportContext, topic: str, rows: pd.DataFrame, changes) -> list[str]:
    """What each actor holds on `topic` on the edition's day, dated, and when it changed: one
    clause per actor, its own stance first, then what others attribute to it, the attribution
    varied in turn ('according to', 'per'), and 'likewise' when they say the same."""
    lang, who = ctx.lang, names(ctx)
    words, turn = [], 0
    for actor, of_actor in rows.groupby("actor_id", sort=False):
        name = who.get(actor, actor)
        own = of_actor[(of_actor["asserted_by"] == actor) & of_actor["held"]]
        clause, own_stance = "", None
        if not own.empty:
            latest = own.sort_values("date", na_position="first", kind="stable").iloc[-1]
            own_stance = int(latest["stance"])
            stance = label(f"positions.word_{own_stance}", lang)
            change = changes[(changes["topic_id"] == topic) & (changes["actor_id"] == actor)]
            if not change.empty and change.iloc[-1]["after"] == own_stance:
                last = change.iloc[-1]
                clause = label(
                    "positions.changed",
                    lang,
                    actor=name,
                    stance=stance,
                    date=_on(last["date"], "day", lang),
                    before=label(f"positions.word_{int(last['before'])}", lang),
                )
            elif pd.isna(latest["date"]) or latest["date_precision"] == "unknown":
                clause = label("positions.stated_undated", lang, actor=name, stance=stance)
            else:
                date = when(latest["date"], str(latest["date_precision"]), lang)
                clause = label("positions.stated", lang, actor=name, stance=stance, date=date)
        attributed = of_actor[of_actor["asserted_by"] != actor].sort_values(
            "date", na_position="first", kind="stable"
        )
        period_of = [
            f"{stance}|{start}|{stop}"
            for stance, start, stop in zip(
                attributed["stance"],
                attributed["valid_from"],
                attributed["valid_until"],
                strict=True,
            )
        ]
        period_of = pd.Series(period_of, index=attributed.index, dtype=object)
        for _, said in attributed.groupby(period_of, sort=False):  # one stance, one period
            latest = said.iloc[-1]
            start, stop = latest["valid_from"], latest["valid_until"]
            period = ""
            if pd.notna(start) and pd.notna(stop):
                span = format_span(
                    start.date(),
                    str(latest["valid_from_precision"]),
                    stop.date(),
                    str(latest["valid_until_precision"]),
                    lang,
                )
                period = label("positions.during", lang, period=span)
            elif pd.notna(stop):
                until = when(stop, str(latest["valid_until_precision"]), lang)
                period = label("positions.until", lang, date=until)
            by = join_names([who.get(a, a) for a in dict.fromkeys(said["asserted_by"])], lang)
            if int(latest["stance"]) == own_stance and not period:  # others say the same
                clause += label("positions.likewise", lang, by=by)
                continue
            stance = label(f"positions.word_{int(latest['stance'])}", lang) + period
            turn += 1
            attribution = label(f"positions.said_{(turn - 1) % ATTRIBUTIONS + 1}", lang, by=by)
            if clause:
                clause += label("positions.and_said", lang, stance=stance, by=attribution)
            else:
                clause = label(
                    "positions.only_said", lang, actor=name, stance=stance, by=attribution
                )
        if clause:
            words.append(clause)
    return words


def build(ctx: ReportContext) -> Section:
    lang, facts = ctx.lang, ctx.facts
    table = facts["positions"]
    if "held" not in table:  # a fact base without dated stances: every stance holds
        table = table.assign(held=True)
    if table.empty:
        return no_data(ctx, "positions")
    who = names(ctx)
    topics = facts["topics"]
    end = pd.Timestamp(ctx.as_of)
    marks = stance_marks(table, end)
    changes = stance_changes(marks)
    items = []
    for topic in topics.itertuples():
        rows = table[table["topic_id"] == topic.topic_id]
        if rows.empty:
            continue
        words = _stance_words(ctx, topic.topic_id, rows, changes)
        if not words:
            continue
        items.append(
            say(
                "positions.topic",
                lang,
                topic=getattr(topic, f"label_{lang}"),
                stances=join(words, lang, label("common.semicolon", lang), conjunction=False),
            )
        )
    layout, _ = position_layout(marks, topics, lang, who)
    shown = [(row["topic"], row["actor"]) for row in layout if row["actor"] is not None]
    shown = set(shown[:MAX_POSITION_ROWS])
    pairs = zip(table["topic_id"].tolist(), table["actor_id"].tolist(), strict=True)
    keep = [pair in shown for pair in pairs]
    drawn = table[pd.Series(keep, index=table.index, dtype=bool)]
    drawn_marks = stance_marks(drawn, end)
    actors = ctx.record["actors"]
    title = positions_title(drawn_marks, topics, lang, who)
    chart = FigureSpec(
        draw=lambda ax: plot_positions(ax, drawn, actors, topics, lang, end, marks=drawn_marks),
        size=(FIGURE_WIDTH, positions_height(drawn_marks, topics, lang, who)),
        narrow_draw=lambda ax: plot_positions(
            ax, drawn, actors, topics, lang, end, narrow=True, marks=drawn_marks
        ),
        narrow_size=(NARROW_WIDTH, positions_height(drawn_marks, topics, lang, who, narrow=True)),
        caption=label(
            "positions.caption",
            lang,
            topics=counted("positions.topics", drawn["topic_id"].nunique(), lang),
        )
        + (
            " " + label("positions.caption_runs", lang, limit=MAX_CHAIN_MARKS)
            if crowded_chains(drawn_marks)
            else ""
        ),
        alt=label(
            "positions.alt",
            lang,
            rows=len(shown),
            topics=counted("positions.topics", drawn["topic_id"].nunique(), lang),
            marks=len(drawn_marks),
            changes=len(stance_changes(drawn_marks)),
            finding=title,
        ),
        note=sources_note(ctx, drawn["source_id"]),
    )
    stances = table[["topic_id", "actor_id", "asserted_by", "stance", "date", "held"]]
    return section(ctx, "positions", items=tuple(items), chart=chart, table=stances)
