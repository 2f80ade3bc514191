"""Ties: how many, who has the most, and the network of who did what to whom."""

import pandas as pd

from helpers.charts import NARROW_WIDTH, plot_relations, ties_height
from helpers.context import ReportContext
from helpers.i18n import label
from helpers.report.prose import join, plain, say
from helpers.report.section import FigureSpec, Section
from helpers.report.words import FIGURE_WIDTH, in_sentence, names, no_data, section, sources_note

ORDER = 60
MAX_ACTORS = 20  # past this the map shows the ties among the busiest actors, and says so
MAX_TIES = 40  # a row each: past this the map keeps the ties of the busiest pairs, and says so


def busiest_ties(ties: pd.DataFrame, limit: int = MAX_TIES) -> pd.DataFrame:
    """At most `limit` ties, those whose two actors have the most ties; the newest first among
    equals. The rows keep their order in `ties`."""
    if len(ties) <= limit:
        return ties
    degree = pd.concat([ties["from_actor"], ties["to_actor"]]).value_counts()
    weight = ties["from_actor"].map(degree) + ties["to_actor"].map(degree)
    ranked = ties.assign(_weight=weight).sort_values(
        ["_weight", "since"], ascending=False, na_position="last", kind="stable"
    )
    return ties.loc[sorted(ranked.index[:limit], key=ties.index.get_loc)]


def build(ctx: ReportContext) -> Section:
    lang, facts = ctx.lang, ctx.facts
    ties = facts["relations"]
    if ties.empty:
        return no_data(ctx, "relations")
    who = names(ctx)
    degree = pd.concat([ties["from_actor"], ties["to_actor"]]).value_counts()
    busiest = degree.index[0]
    overview = say(
        "relations.overview",
        lang,
        ties=len(ties),
        actors=len(degree),
        busiest=in_sentence(who.get(busiest, busiest), lang),
        count=int(degree.iloc[0]),
    )
    actors = ctx.record["actors"]
    busiest = set(degree.index[:MAX_ACTORS])
    drawn = busiest_ties(ties[ties["from_actor"].isin(busiest) & ties["to_actor"].isin(busiest)])
    caption = label("relations.caption", lang, ties=len(drawn), actors=len(busiest))
    if len(drawn) < len(ties):
        caption += " " + label(
            "relations.caption_cut", lang, actors=len(degree), ties=len(ties) - len(drawn)
        )
    chart = FigureSpec(
        draw=lambda ax: plot_relations(ax, drawn, actors, lang),
        size=(FIGURE_WIDTH, ties_height(drawn)),
        narrow_draw=lambda ax: plot_relations(ax, drawn, actors, lang, narrow=True),
        narrow_size=(NARROW_WIDTH, ties_height(drawn, narrow=True)),
        caption=caption,
        alt=label(
            "relations.alt",
            lang,
            actors=len(degree),
            ties=len(ties),
            busiest=plain(join([who.get(a, a) for a in degree.index[:3]], lang)),
        ),
        note=sources_note(ctx, drawn["source_id"]),
    )
    return section(ctx, "relations", paragraphs=(overview,), chart=chart, table=ties)
