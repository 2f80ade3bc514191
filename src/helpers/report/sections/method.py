"""Method and limitations: how the data was made, how much of it is confirmed, this edition's
parameters."""

import pandas as pd

from helpers.context import SOURCED_TABLES, ReportContext, cited_sources
from helpers.i18n import format_date, format_number, label
from helpers.report.prose import join, plain, say
from helpers.report.section import Section
from helpers.report.words import names, section

ORDER = 80


def build(ctx: ReportContext) -> Section:
    lang, facts = ctx.lang, ctx.facts
    checked = pd.concat([facts[t]["verification"].astype(str) for t in SOURCED_TABLES])
    counts = checked.value_counts()
    counts_text = say(
        "method.counts",
        lang,
        rows=format_number(sum(len(table) for table in facts.values()), lang),
        tables=len(facts),
        sources=len(cited_sources(facts)),
        confirmed=int(counts.get("confirmed", 0)),
        inferred=int(counts.get("inferred", 0)),
        unconfirmed=int(counts.get("unconfirmed", 0)),
        contradicted=int(counts.get("contradicted", 0)),
    )
    who = names(ctx)
    focus = (
        plain(join([who.get(a, a) for a in ctx.focus], lang))
        if ctx.focus
        else label("method.all_actors", lang)
    )
    parameters = say(
        "method.parameters",
        lang,
        language=label("method.language", lang),
        as_of=format_date(ctx.as_of, lang),
        record=label(
            "method.record_included" if ctx.include_public_record else "method.record_left_out",
            lang,
        ),
        focus=focus,
    )
    approach = say("method.approach", lang)
    limits = say("method.limits", lang)
    return section(ctx, "method", paragraphs=(approach, limits, counts_text, parameters))
