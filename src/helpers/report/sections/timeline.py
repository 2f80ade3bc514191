"""The timeline: the phases in prose, the busiest year, and the chart of every dated fact."""

import pandas as pd

from helpers.charts import (
    NARROW_WIDTH,
    TRACKS,
    fact_label,
    join_names,
    plot_overall_timeline,
    timeline_axes,
    timeline_facts,
    timeline_key_facts,
    timeline_zoom_start,
)
from helpers.context import ReportContext, phases_with_dates
from helpers.density import crowded
from helpers.i18n import code_label, format_number, format_span, label
from helpers.report.prose import join, plain, say
from helpers.report.section import FigureSpec, Section
from helpers.report.words import FIGURE_WIDTH, day, no_data, section, sources_note

ORDER = 20


def build(ctx: ReportContext) -> Section:
    lang, facts = ctx.lang, ctx.facts
    events = facts["events"][facts["events"]["date"].notna()]
    steps = facts["legal_actions"]
    if events.empty and steps.empty:
        return no_data(ctx, "timeline")
    phases = phases_with_dates(ctx.record)
    phases = phases[phases["start"] <= pd.Timestamp(ctx.as_of)]
    paragraphs = []
    if len(phases):
        items = [
            label(
                "timeline.phase_item",
                lang,
                number=n,
                label=row[f"label_{lang}"],
                date=day(row["start"], lang),
            )
            for n, (_, row) in enumerate(phases.iterrows(), start=1)
        ]
        paragraphs.append(say("timeline.phases", lang, count=len(phases), phases=join(items, lang)))
    dates = pd.concat([events["date"], steps["date"]])
    years = dates.dt.year.value_counts()
    paragraphs.append(
        say("timeline.busiest", lang, year=int(years.idxmax()), count=int(years.max()))
    )
    start = dates.min()
    first = events.loc[events["date"].idxmin()] if len(events) else None
    precision = (
        str(first["date_precision"]) if first is not None and first["date"] == start else "day"
    )
    span = format_span(start.date(), precision, ctx.as_of, "day", lang)
    as_of = pd.Timestamp(ctx.as_of)
    zoomed = timeline_zoom_start(events, steps, as_of) is not None
    key = timeline_key_facts(events, steps, as_of, zoomed)

    def draw(ax, narrow: bool = False):
        overview, zoom = timeline_axes(ax, zoomed)
        return plot_overall_timeline(
            overview, events, steps, phases, lang, as_of, zoom=zoom, narrow=narrow
        )

    chart = FigureSpec(
        draw=draw,
        size=(FIGURE_WIDTH, 7.4 if zoomed else 4.0),
        narrow_draw=lambda ax: draw(ax, narrow=True),
        narrow_size=(NARROW_WIDTH, 7.0 if zoomed else 4.4),
        caption=label(
            "timeline.caption",
            lang,
            events=len(events),
            steps=len(steps),
            span=span,
            phases=len(phases),
        )
        + strip_caption(timeline_facts(events, steps), lang),
        alt=label(
            "timeline.alt",
            lang,
            start=start.year,
            end=ctx.as_of.year,
            phases=len(phases),
            phase_list=plain(join(list(phases[f"label_{lang}"]), lang)),
            key_facts=plain(
                join([_spoken(fact_label(f, lang, 200), lang) for f in key.itertuples()], lang)
            ),
        ),
        note=sources_note(ctx, pd.concat([events["source_id"], steps["source_id"]])),
    )
    return section(ctx, "timeline", paragraphs=tuple(paragraphs), chart=chart)


def strip_caption(facts: pd.DataFrame, lang: str) -> str:
    """' Rows drawn as monthly counts: …' for the rows too crowded to draw a mark per fact (see
    helpers.density); empty when every row draws its marks."""
    strips = [track for track in TRACKS if track in crowded(facts["track"])]  # top to bottom
    if not strips:
        return ""
    return " " + label(
        "timeline.caption_strip",
        lang,
        tracks=join_names(
            [label("timeline.row_name", lang, name=code_label("track", t, lang)) for t in strips],
            lang,
        ),  # quoted: a row's name may hold a comma
        count=format_number(int(facts["track"].isin(strips).sum()), lang),
    )


def _spoken(chart_label: str, lang: str) -> str:
    """A chart label ('date' over 'title') as one line of alt text: 'date: title'."""
    date, _, title = chart_label.partition("\n")
    return date + label("common.colon", lang) + title.replace("\n", " ")
