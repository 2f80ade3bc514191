"""Positions: each topic's stances in prose, dated, saying when an actor changed; and a chart of
every known stance on a time line, per topic and actor (no cell for what is unknown)."""

import pandas as pd

from helpers.charts import (
    NARROW_WIDTH,
    counted,
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


def _stance_words(ctx: ReportContext, topic: str, rows: pd.DataFrame, changes) -> list[str]:
    """What each actor holds on `topic` on the edition's day, dated, and when it changed."""
    lang, who = ctx.lang, names(ctx)
    words = []
    for actor, of_actor in rows.groupby("actor_id", sort=False):
        name = who.get(actor, actor)
        own = of_actor[(of_actor["asserted_by"] == actor) & of_actor["held"]]
        if not own.empty:
            latest = own.sort_values("date", na_position="first", kind="stable").iloc[-1]
            stance = label(f"positions.word_{int(latest['stance'])}", lang)
            change = changes[(changes["topic_id"] == topic) & (changes["actor_id"] == actor)]
            if not change.empty and change.iloc[-1]["after"] == int(latest["stance"]):
                last = change.iloc[-1]
                words.append(
                    label(
                        "positions.changed",
                        lang,
                        actor=name,
                        stance=stance,
                        date=_on(last["date"], "day", lang),
                        before=label(f"positions.word_{int(last['before'])}", lang),
                    )
                )
            else:
                date = when(latest["date"], str(latest["date_precision"]), lang)
                words.append(label("positions.stated", lang, actor=name, stance=stance, date=date))
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
            text = label(
                "positions.item",
                lang,
                actor=name,
                stance=label(f"positions.word_{int(latest['stance'])}", lang),
            )
            start, stop = latest["valid_from"], latest["valid_until"]
            if pd.notna(start) and pd.notna(stop):
                period = format_span(
                    start.date(),
                    str(latest["valid_from_precision"]),
                    stop.date(),
                    str(latest["valid_until_precision"]),
                    lang,
                )
                text += label("positions.during", lang, period=period)
            elif pd.notna(stop):
                until = when(stop, str(latest["valid_until_precision"]), lang)
                text += label("positions.until", lang, date=until)
            by = [who.get(a, a) for a in dict.fromkeys(said["asserted_by"])]
            words.append(text + label("positions.by", lang, by=join_names(by, lang)))
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
                stances=join(words, lang),
            )
        )
    layout, _ = position_layout(marks, topics, lang, who)
    shown = [(row["topic"], row["actor"]) for row in layout if row["actor"] is not None]
    shown = set(shown[:MAX_POSITION_ROWS])
    keep = [pair in shown for pair in zip(table["topic_id"], table["actor_id"], strict=True)]
    drawn = table[pd.Series(keep, index=table.index, dtype=bool)]
    drawn_marks = stance_marks(drawn, end)
    actors = ctx.record["actors"]
    title = positions_title(drawn_marks, topics, lang, who)
    chart = FigureSpec(
        draw=lambda ax: plot_positions(ax, drawn, actors, topics, lang, end),
        size=(FIGURE_WIDTH, positions_height(drawn_marks, topics, lang, who)),
        narrow_draw=lambda ax: plot_positions(ax, drawn, actors, topics, lang, end, narrow=True),
        narrow_size=(NARROW_WIDTH, positions_height(drawn_marks, topics, lang, who, narrow=True)),
        caption=label(
            "positions.caption",
            lang,
            topics=counted("positions.topics", drawn["topic_id"].nunique(), lang),
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
