"""The numbered list of every source the edition cites."""

import pandas as pd

from helpers.context import ReportContext, cited_sources
from helpers.i18n import label
from helpers.report.section import Section
from helpers.report.words import section, when

ORDER = 90
WEB = ("https://", "http://")  # the only addresses that become links


def build(ctx: ReportContext) -> Section:
    lang = ctx.lang
    listed = cited_sources(ctx.facts)
    entries = []
    for source_id, source in listed.iterrows():
        if pd.notna(source["published"]):
            date = label(
                "sources.published",
                lang,
                date=when(source["published"], str(source["published_precision"]), lang),
            )
        else:
            date = label("sources.undated", lang)
        entries.append(
            {
                "id": source_id,
                "publisher": source["publisher"],
                "title": source["title"],
                "lang": source["language"],
                "date": date,
                "archived": label("sources.archived", lang) if source["archived_path"] else "",
                "url": source["url"] if source["url"].startswith(WEB) else "",
            }
        )
    return section(ctx, "sources", extra={"entries": entries}, table=listed)
