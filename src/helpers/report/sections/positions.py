"""Positions: each topic's stances in prose, and the grid of actors by topics."""

from helpers.charts import figure_height, plot_positions, position_matrix
from helpers.context import ReportContext
from helpers.i18n import label
from helpers.report.prose import join, say
from helpers.report.section import FigureSpec, Section
from helpers.report.words import FIGURE_WIDTH, names, no_data, section, sources_note

ORDER = 50
MAX_POSITION_ROWS = 30


def build(ctx: ReportContext) -> Section:
    lang, facts = ctx.lang, ctx.facts
    table = facts["positions"]
    table = table[table["held"]] if "held" in table else table  # the stances that held as_of
    if table.empty:
        return no_data(ctx, "positions")
    who = names(ctx)
    topics = facts["topics"]
    matrix = position_matrix(table)
    items = []
    for topic in topics.itertuples():
        if topic.topic_id not in matrix.columns:
            continue
        stances = []
        for (actor, asserter), stance in matrix[topic.topic_id].dropna().items():
            text = label(
                "positions.item",
                lang,
                actor=who.get(actor, actor),
                stance=label(f"positions.word_{int(stance)}", lang),
            )
            if actor != asserter:
                text += label("positions.by", lang, by=who.get(asserter, asserter))
            stances.append(text)
        items.append(
            say(
                "positions.topic",
                lang,
                topic=getattr(topic, f"label_{lang}"),
                stances=join(stances, lang),
            )
        )
    shown = matrix.index[:MAX_POSITION_ROWS]
    drawn = table[table.set_index(["actor_id", "asserted_by"]).index.isin(shown)]
    cells = position_matrix(drawn).reindex(
        columns=[t for t in topics["topic_id"] if t in matrix.columns]
    )
    actors = ctx.record["actors"]
    chart = FigureSpec(
        draw=lambda ax: plot_positions(ax, drawn, actors, topics, lang),
        size=(FIGURE_WIDTH, figure_height(len(shown), base=2.2, per_row=0.36)),
        caption=label("positions.caption", lang, topics=cells.shape[1]),
        alt=label(
            "positions.alt",
            lang,
            rows=cells.shape[0],
            topics=cells.shape[1],
            known=int(cells.notna().sum().sum()),
            unknown=int(cells.isna().sum().sum()),
        ),
        note=sources_note(ctx, drawn["source_id"]),
    )
    return section(ctx, "positions", items=tuple(items), chart=chart, table=cells)
