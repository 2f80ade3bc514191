"""The money: rounds, disputed donations and the article's figures in prose, and the amounts in
small multiples by kind (raised, valued, claimed) on one dollar scale, titled with a finding."""

import pandas as pd

from helpers.charts import (
    NARROW_WIDTH,
    OPEN_DOWNWARDS,
    OPEN_UPWARDS,
    PANEL_OF_PURPOSE,
    amounts_figure_height,
    plot_amounts,
)
from helpers.context import ReportContext, analysed_source_ids
from helpers.i18n import format_amount, format_date, label
from helpers.report.prose import cited, join, quoted, say, with_more
from helpers.report.section import FigureSpec, Section
from helpers.report.words import (
    FIGURE_WIDTH,
    MAX_LISTED,
    in_sentence,
    names,
    no_data,
    section,
    sources_note,
)
from helpers.report.words import when as date_of

ORDER = 30
MAX_AMOUNT_ROWS = 26  # rows that fit a printed page at 7 pt; the caption says what is left
ATTRIBUTIONS = 3  # ways the catalogue words who gives a figure (money.donation_group_N)
MAX_FIGURE_INCHES = 9.1  # report.css prints a figure at most 232 mm high: taller would shrink text


def amounts_to_draw(
    amounts: pd.DataFrame, analysed: set[str], limit: int = MAX_AMOUNT_ROWS
) -> pd.DataFrame:
    """All amounts if they fit; else the article's, then the most important, then the largest.

    The rows come in that order of rank, so dropping the last ones drops the least needed.

    A figure stated again (the same label) comes after every first statement, so a crowded fact
    base still shows many different amounts rather than copies of a few.
    """
    ranked = amounts.assign(
        _repeat=amounts.groupby("label_en").cumcount(),
        _importance=pd.to_numeric(amounts["importance"], errors="coerce").fillna(3),
        _article=~amounts["source_id"].isin(analysed),
    ).sort_values(
        ["_repeat", "_article", "_importance", "low_usd"],
        ascending=[True, True, True, False],
        kind="stable",
    )
    return ranked.head(limit).drop(columns=["_repeat", "_importance", "_article"])


def _month(row: pd.Series, lang: str) -> str:
    precision = "year" if row["date_precision"] == "year" else "month"
    return format_date(row["date"].date(), lang, precision)


def _dated_single(rows: pd.DataFrame) -> pd.DataFrame:
    """Rows with a known date and one figure (no range): those a change over time can compare."""
    return rows[
        rows["date"].notna() & (rows["date_precision"] != "unknown") & rows["high_usd"].isna()
    ]


def _series(rows: pd.DataFrame, by: str, prefer: str) -> tuple | None:
    """The first and last rows of the longest series of `by` over at least two dates."""
    best = None
    for actor, series in rows.groupby(by, sort=False):
        series = series.sort_values(["date", "low_usd"])
        if series["date"].nunique() < 2:
            continue
        key = (len(series), actor == prefer, series["low_usd"].iloc[-1])
        if best is None or key > best[0]:
            best = (key, actor, series.iloc[0], series.iloc[-1])
    return best[1:] if best else None


def finding(drawn: pd.DataFrame, names: dict[str, str], lang: str) -> str:
    """The chart's title, from the data, in this order: how the valuation of the company valued
    most often moved (OpenAI on a tie); else how the tally of one donor's gifts moved; else the
    largest amount drawn and its kind."""
    dated = _dated_single(drawn)

    def when(row: pd.Series) -> str:
        return _month(row, lang)

    def money(row: pd.Series) -> str:
        return format_amount(row["low_usd"], None, str(row["qualifier"]), lang)

    valued = _series(
        dated[(dated["purpose"] == "valuation") & (dated["assertion"] == "fact")],
        "to_actor",
        "openai",
    )
    if valued:
        actor, first, last = valued
        direction = "up" if last["low_usd"] >= first["low_usd"] else "down"
        return label(
            f"money.title_growth_{direction}",
            lang,
            company=names.get(actor, actor),
            first=money(first),
            first_date=when(first),
            last=money(last),
            last_date=when(last),
        )
    gifts = dated[(dated["purpose"] == "donation") & (dated["from_actor"] != "")]
    tally = _series(gifts, "from_actor", "musk")
    if tally:
        donor, first, last = tally
        return label(
            "money.title_gifts",
            lang,
            donor=names.get(donor, donor),
            recipient=names.get(last["to_actor"], last["to_actor"]),
            first=money(first),
            first_date=when(first),
            last=money(last),
            last_date=when(last),
        )
    top = drawn.sort_values("low_usd").iloc[-1]
    known = pd.notna(top["date"]) and top["date_precision"] != "unknown"
    return label(
        f"money.title_largest_{PANEL_OF_PURPOSE[str(top['purpose'])]}",
        lang,
        amount=_amount(top, lang),
        date=when(top) if known else label("common.unknown_date", lang),
    )


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
        shown = donations.tail(MAX_LISTED)
        groups = []  # one clause per person giving a figure, in the order they first gave one
        for turn, asserter in enumerate(dict.fromkeys(shown["asserted_by"])):
            figures = [
                cited(
                    ctx,
                    row["source_id"],
                    label(
                        "money.donation_item",
                        lang,
                        amount=_amount(row, lang),
                        date=date_of(row["date"], str(row["date_precision"]), lang),
                    ),
                )
                for _, row in shown[shown["asserted_by"] == asserter].iterrows()
            ]
            groups.append(
                say(
                    f"money.donation_group_{turn % ATTRIBUTIONS + 1}",
                    lang,
                    who=in_sentence(who.get(asserter, asserter), lang),
                    figures=join(figures, lang),
                )
            )
        groups = with_more(groups, len(donations) - len(shown) + len(groups), lang)
        listed = join(groups, lang, label("common.semicolon", lang), conjunction=False)
        paragraphs.append(say("money.donations", lang, figures=listed))
    analysed = analysed_source_ids(facts["sources"])
    from_article = amounts[amounts["source_id"].isin(analysed)]
    if len(from_article):
        items, said = [], 0  # the article's own words, or those it lends someone, in turn
        for _, row in from_article.head(MAX_LISTED).iterrows():
            if row["assertion"] == "fact" or not row["asserted_by"]:
                items.append(say("money.article_own", lang, quote=quoted(ctx, row)))
                continue
            said += 1
            speaker = in_sentence(who.get(row["asserted_by"], row["asserted_by"]), lang)
            key = f"money.article_said_{(said - 1) % 2 + 1}"
            items.append(say(key, lang, who=speaker, quote=quoted(ctx, row)))
        items = with_more(items, len(from_article), lang)
        paragraphs.append(
            say(
                "money.article",
                lang,
                items=join(items, lang, label("common.semicolon", lang), conjunction=False),
            )
        )
    drawn = amounts_to_draw(amounts, analysed)
    subtitle = label("money.chart_subtitle", lang)
    while len(drawn) > 1 and (
        amounts_figure_height(drawn, lang, finding(drawn, who, lang), subtitle) > MAX_FIGURE_INCHES
    ):
        drawn = drawn.iloc[:-1]  # long labels: the least needed row goes, the caption says so
    values = drawn["low_usd"]
    title = finding(drawn, who, lang)
    caption = label("money.caption", lang, count=len(drawn))
    if len(drawn) < len(amounts):
        caption += " " + label(
            "money.caption_cut",
            lang,
            count=len(drawn),
            total=len(amounts),
            left=len(amounts) - len(drawn),
        )
    chart = FigureSpec(
        draw=lambda ax: plot_amounts(ax, drawn, lang, title=title, subtitle=subtitle)[0],
        size=(FIGURE_WIDTH, amounts_figure_height(drawn, lang, title, subtitle)),
        narrow_draw=lambda ax: plot_amounts(ax, drawn, lang, title, subtitle, narrow=True)[0],
        narrow_size=(NARROW_WIDTH, amounts_figure_height(drawn, lang, title, subtitle, True)),
        caption=caption,
        alt=label(
            "money.alt",
            lang,
            count=len(drawn),
            low=format_amount(values.min(), None, "exact", lang),
            high=format_amount(values.max(), None, "exact", lang),
            claims=int((drawn["assertion"] != "fact").sum()),
            open=int(drawn["qualifier"].isin(OPEN_UPWARDS | OPEN_DOWNWARDS).sum()),
            finding=title,
        ),
        note=sources_note(ctx, drawn["source_id"]),
    )
    return section(ctx, "money", paragraphs=tuple(paragraphs), chart=chart)
