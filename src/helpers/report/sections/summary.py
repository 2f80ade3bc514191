"""In brief: the news first. The latest decisive developments, what is at stake in money, what is
still open and what the analysed article gets wrong, each sentence with its citation. Chosen by
the importance rank of the data (1 decisive first), never by hand."""

import pandas as pd

from helpers.context import ReportContext, analysed_source_ids
from helpers.i18n import format_amount, label
from helpers.report.prose import Prose, cited, join, say
from helpers.report.section import Section
from helpers.report.words import day, in_sentence, names, no_data, section, when

ORDER = 10
LATEST = 2  # decisive developments told first
# disagreements that bear on the article; 'sources disagree' is between other sources
ARTICLE_CONFLICTS = ("article vs record", "article vs itself", "not found in the record")
# a case whose latest step has one of these outcomes is over, at least at first instance
CLOSED = ("dismissed with prejudice", "no objection", "dismissed without prejudice")


def _sentence(text: str) -> str:
    """A data summary as a sentence: capital first, full stop last."""
    text = text.strip()
    return text[:1].upper() + text[1:] + ("" if text.endswith((".", "!", "?")) else ".")


def _amount(row: pd.Series, lang: str) -> str:
    return format_amount(row["low_usd"], row["high_usd"], str(row["qualifier"]), lang)


def latest_decisive(ctx: ReportContext) -> list[Prose]:
    """The newest developments of rank 1: legal steps and events, dated, newest first."""
    lang, facts = ctx.lang, ctx.facts
    steps = facts["legal_actions"].assign(text=lambda t: t[f"summary_{lang}"], precision="day")
    events = facts["events"].assign(
        text=lambda t: t[f"title_{lang}"], precision=lambda t: t["date_precision"]
    )
    rows = pd.concat([steps, events])
    rows = rows[(rows["importance"] == 1) & rows["date"].notna()]
    if "source_id" in rows:
        rows = rows[~rows["source_id"].isin(analysed_source_ids(facts["sources"]))]
    newest = rows.sort_values("date", ascending=False, kind="stable").head(LATEST)
    return [
        say(  # 'On May 18, 2026, a jury ...': the date leads, no sentence opens on a numeral
            "summary.development_day" if row["precision"] == "day" else "summary.development_in",
            lang,
            date=when(row["date"], str(row["precision"]), lang),
            what=cited(ctx, row["source_id"], in_sentence(_sentence(row["text"]), lang)),
        )
        for _, row in newest.iterrows()
    ]


def stakes(ctx: ReportContext) -> Prose:
    """The largest sum claimed and the largest valuation among the main amounts."""
    lang, amounts = ctx.lang, ctx.facts["amounts"]
    analysed = analysed_source_ids(ctx.facts["sources"])  # the record's figures, not the article's
    main = amounts[(amounts["importance"] <= 2) & ~amounts["source_id"].isin(analysed)]
    who = names(ctx)
    # the largest claim, said by who makes it; the largest valuation, of whom it values
    chosen = (
        ("summary.claim", "asserted_by", main["purpose"].isin(["damages sought", "alleged loss"])),
        (
            "summary.valuation",
            "to_actor",
            (main["purpose"] == "valuation") & main["to_actor"].notna(),
        ),
    )
    parts = []
    for key, actor_field, rows in chosen:
        if not rows.any():
            continue
        row = main[rows].loc[main.loc[rows, "low_usd"].idxmax()]
        parts.append(
            say(
                key,
                lang,
                actor=who.get(row[actor_field], row[actor_field]),
                amount=_amount(row, lang),
                date=when(row["date"], str(row["date_precision"]), lang),
                cite=cited(ctx, row["source_id"]),
            )
        )
    if not parts:
        return ()
    listed = join(parts, lang, label("common.semicolon", lang), conjunction=False)
    return say("summary.stakes", lang, items=listed)


def still_open(ctx: ReportContext) -> Prose:
    """The cases whose latest step did not close them, with that step."""
    lang, steps = ctx.lang, ctx.facts["legal_actions"]
    if steps.empty:
        return ()
    cases = ctx.facts["cases"].set_index("case_id")
    ordered = steps.assign(_order=steps["sequence"].fillna(0)).sort_values(["date", "_order"])
    items = []
    for case_id, case_steps in ordered.groupby("case_id", sort=False):
        last = case_steps.iloc[-1]
        if str(last["outcome"]) in CLOSED or case_id not in cases.index:
            continue
        items.append(
            say(
                "summary.open_case",
                lang,
                case=cases.loc[case_id, f"name_{lang}"],
                date=day(last["date"], lang),
                what=cited(ctx, last["source_id"], _sentence(last[f"summary_{lang}"])),
            )
        )
    if not items:
        return ()
    return say("summary.open", lang, cases=join(items, lang, " ", conjunction=False))


def the_article(ctx: ReportContext) -> Prose:
    """How much of the analysed article the record contradicts or cannot confirm."""
    facts = ctx.facts
    analysed = analysed_source_ids(facts["sources"])
    conflicts = facts["conflicts"]
    count = int(conflicts["kind"].isin(ARTICLE_CONFLICTS).sum())
    rows = pd.concat(
        [facts[t][facts[t]["source_id"].isin(analysed)] for t in ("events", "amounts", "positions")]
    )
    unconfirmed = int((rows["verification"] == "unconfirmed").sum())
    if not (count or unconfirmed):
        return ()
    article = next(iter(analysed), "")
    text = say("summary.conflicts", ctx.lang, count=count, unconfirmed=unconfirmed)
    return cited(ctx, article, *text)


def build(ctx: ReportContext) -> Section:
    items = [*latest_decisive(ctx), stakes(ctx), still_open(ctx), the_article(ctx)]
    items = [item for item in items if item]
    if not items:
        return no_data(ctx, "summary")
    return section(ctx, "summary", items=tuple(items))
