"""In brief: a few sentences, every figure and date from the data."""

import pandas as pd

from helpers.context import ReportContext, analysed_source_ids, cited_sources
from helpers.i18n import format_amount, format_span
from helpers.report.prose import say
from helpers.report.section import Section
from helpers.report.words import day, no_data, section, when

ORDER = 10
# disagreements that bear on the article; 'sources disagree' is between other sources
ARTICLE_CONFLICTS = ("article vs record", "article vs itself", "not found in the record")


def build(ctx: ReportContext) -> Section:
    lang, facts = ctx.lang, ctx.facts
    events, steps = facts["events"], facts["legal_actions"]
    dated = pd.concat([events["date"], steps["date"]]).dropna()
    analysed = analysed_source_ids(facts["sources"])
    items = []
    if len(dated):
        first = events.loc[events["date"].idxmin()] if events["date"].notna().any() else None
        precision = (
            str(first["date_precision"])
            if first is not None and first["date"] == dated.min()
            else "day"
        )
        article_rows = sum(
            int(facts[t]["source_id"].isin(analysed).sum())
            for t in ("events", "amounts", "positions", "relations")
        )
        items.append(
            say(
                "summary.scope",
                lang,
                events=int(events["date"].notna().sum()),
                steps=len(steps),
                span=format_span(dated.min().date(), precision, ctx.as_of, "day", lang),
                sources=len(cited_sources(facts)),
                article=article_rows,
            )
        )
    by_id = events.set_index("event_id")
    if {"openai-founded", "musk-leaves-board"} <= set(by_id.index):
        items.append(
            say(
                "summary.origin",
                lang,
                founded=day(by_id.loc["openai-founded", "date"], lang),
                left=day(by_id.loc["musk-leaves-board", "date"], lang),
            )
        )
    main_amounts = facts["amounts"][facts["amounts"]["importance"] <= 2]  # not the context ones
    if len(main_amounts):
        top = main_amounts.loc[main_amounts["low_usd"].idxmax()]
        items.append(
            say(
                "summary.money",
                lang,
                label=top[f"label_{lang}"],
                amount=format_amount(top["low_usd"], top["high_usd"], str(top["qualifier"]), lang),
                date=when(top["date"], str(top["date_precision"]), lang),
            )
        )
    cases = facts["cases"].set_index("case_id")
    for case_id, case_steps in steps.sort_values("date").groupby("case_id", sort=False):
        if not case_id.startswith("musk-v-altman"):
            continue
        items.append(
            say(
                "summary.case",
                lang,
                case=cases.loc[case_id, f"name_{lang}"],
                first=day(case_steps["date"].iloc[0], lang),
                last=day(case_steps["date"].iloc[-1], lang),
                summary=case_steps.iloc[-1][f"summary_{lang}"],
            )
        )
    conflicts = facts["conflicts"]
    about_the_article = conflicts[conflicts["kind"].isin(ARTICLE_CONFLICTS)]
    article = pd.concat(
        [facts[t][facts[t]["source_id"].isin(analysed)] for t in ("events", "amounts", "positions")]
    )
    unconfirmed = int((article["verification"] == "unconfirmed").sum())
    if len(about_the_article) or unconfirmed:  # between other sources: not the article's
        items.append(
            say("summary.conflicts", lang, count=len(about_the_article), unconfirmed=unconfirmed)
        )
    if not items:
        return no_data(ctx, "summary")
    return section(ctx, "summary", items=tuple(items))
