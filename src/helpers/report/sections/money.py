"""The money: rounds, disputed donations and the article's figures in prose, and every amount
on one chart."""

import pandas as pd

from helpers.charts import OPEN_DOWNWARDS, OPEN_UPWARDS, figure_height, plot_amounts
from helpers.context import ReportContext, analysed_source_ids
from helpers.i18n import format_amount, label
from helpers.report.prose import Text, cited, join, quote, say, with_more
from helpers.report.section import FigureSpec, Section
from helpers.report.words import FIGURE_WIDTH, MAX_LISTED, names, no_data, section, sources_note
from helpers.report.words import when as date_of

ORDER = 30
MAX_AMOUNT_ROWS = 45  # beyond this the chart keeps the article's amounts and the largest


def amounts_to_draw(
    amounts: pd.DataFrame, analysed: set[str], limit: int = MAX_AMOUNT_ROWS
) -> pd.DataFrame:
    """All amounts if they fit; else the article's and then the largest, up to `limit` rows."""
    if len(amounts) <= limit:
        return amounts
    from_article = amounts["source_id"].isin(analysed)
    rest = amounts[~from_article].sort_values("low_usd", ascending=False)
    return pd.concat([amounts[from_article], rest]).head(limit)


def _amount(row: pd.Series, lang: str) -> str:
    return format_amount(row["low_usd"], row["high_usd"], str(row["qualifier"]), lang)


def build(ctx: ReportContext) -> Section:
    lang, facts = ctx.lang, ctx.facts
    amounts = facts["amounts"]
    if amounts.empty:
        return no_data(ctx, "money")
    who = names(ctx)
    open_ended = amounts["qualifier"].isin(OPEN_UPWARDS | OPEN_DOWNWARDS)
    paragraphs = [
        say(
            "money.overview",
            lang,
            count=len(amounts),
            claims=int((amounts["assertion"] != "fact").sum()),
            open=int(open_ended.sum()),
        )
    ]
    rounds = amounts[
        (amounts["purpose"] == "funding round") & (amounts["to_actor"] == "openai")
    ].sort_values("date")
    if len(rounds) >= 2:
        first, last = rounds.iloc[0], rounds.iloc[-1]
        paragraphs.append(
            say(
                "money.rounds",
                lang,
                first=_amount(first, lang),
                first_date=date_of(first["date"], str(first["date_precision"]), lang),
                last=_amount(last, lang),
                last_date=date_of(last["date"], str(last["date_precision"]), lang),
            )
        )
    donations = amounts[
        (amounts["purpose"] == "donation") & (amounts["from_actor"] == "musk")
    ].sort_values("date")
    if len(donations) >= 2:
        figures = [
            cited(
                ctx,
                row["source_id"],
                label(
                    "money.donation_item",
                    lang,
                    amount=_amount(row, lang),
                    who=who.get(row["asserted_by"], row["asserted_by"]),
                    date=date_of(row["date"], str(row["date_precision"]), lang),
                ),
            )
            for _, row in donations.tail(MAX_LISTED).iterrows()
        ]
        figures = with_more(figures, len(donations), lang)
        paragraphs.append(say("money.donations", lang, figures=join(figures, lang)))
    analysed = analysed_source_ids(facts["sources"])
    from_article = amounts[amounts["source_id"].isin(analysed)]
    if len(from_article):
        items = [
            (
                *say(
                    "money.article_item",
                    lang,
                    label=row[f"label_{lang}"],
                    amount=_amount(row, lang),
                ),
                Text(" "),
                quote(ctx, row["quote"], row["source_id"]),
            )
            for _, row in from_article.head(MAX_LISTED).iterrows()
        ]
        items = with_more(items, len(from_article), lang)
        paragraphs.append(
            say("money.article", lang, items=join(items, lang, "; ", conjunction=False))
        )
    drawn = amounts_to_draw(amounts, analysed)
    rows = len(drawn) + drawn["purpose"].nunique()
    values = drawn["low_usd"]
    chart = FigureSpec(
        draw=lambda ax: plot_amounts(ax, drawn, lang),
        size=(FIGURE_WIDTH, figure_height(rows, base=1.5, per_row=0.21)),
        caption=label("money.caption", lang, count=len(drawn)),
        alt=label(
            "money.alt",
            lang,
            count=len(drawn),
            low=format_amount(values.min(), None, "exact", lang),
            high=format_amount(values.max(), None, "exact", lang),
            claims=int((drawn["assertion"] != "fact").sum()),
            open=int(drawn["qualifier"].isin(OPEN_UPWARDS | OPEN_DOWNWARDS).sum()),
        ),
        note=sources_note(ctx, drawn["source_id"]),
    )
    return section(ctx, "money", paragraphs=tuple(paragraphs), chart=chart)
