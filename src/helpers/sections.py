"""The report's sections as HTML: prose generated from the data, figures, tables and citations.

Every text that comes from data is escaped here (`esc`), so a title holding `<script>` shows as
text. Numbers, dates and money are formatted for the report's language by `helpers.i18n`.
"""

import html
from collections.abc import Iterable

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure

from helpers.charts import (
    OPEN_DOWNWARDS,
    OPEN_UPWARDS,
    actor_names,
    figure_height,
    legal_figure_height,
    number_steps,
    numbers_fit,
    plot_amounts,
    plot_legal_timeline,
    plot_overall_timeline,
    plot_positions,
    plot_relations,
    position_matrix,
)
from helpers.context import ReportContext, analysed_source_ids, cited_sources, phases_with_dates
from helpers.figures import close, figure_html
from helpers.i18n import code_label, format_amount, format_date, format_number, format_span, label

FIGURE_WIDTH = 6.7  # inches: the A4 text width
MAX_AMOUNT_ROWS = 45  # beyond this the chart keeps the article's amounts and the largest
MAX_POSITION_ROWS = 30
MAX_LISTED = 6  # items a sentence lists before it says how many more there are
MAX_STEP_ROWS = 60  # rows of the steps table when the chart is too dense to number its steps
MAX_CITED_IN_NOTE = 12  # past this a figure's note points to the list of sources instead


def esc(text: object) -> str:
    """Text from data, made safe for HTML."""
    return html.escape(str(text), quote=True)


def join_list(items: list[str], lang: str) -> str:
    """'a, b and c' / 'a, b et c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + label("list_and", lang) + items[-1]


def when(date: pd.Timestamp, precision: str, lang: str) -> str:
    """A date of the data at its known precision, or 'undated'."""
    if pd.isna(date) or precision == "unknown":
        return label("unknown_date", lang)
    return format_date(date.date(), lang, precision)


def day(date: pd.Timestamp, lang: str) -> str:
    return format_date(date.date(), lang)


def cite(ctx: ReportContext, source_id: str) -> str:
    """A numbered link to the source in the list at the end of the report."""
    number = ctx.source_numbers().get(source_id)
    if number is None:
        return ""
    return f'<a class="cite" href="#src-{esc(source_id)}">[{number}]</a>'


def quoted(ctx: ReportContext, text: str, source_id: str) -> str:
    """A quote in its source's language, marked as a quote, with its citation."""
    sources = ctx.record["sources"].set_index("source_id")
    language = sources.loc[source_id, "language"] if source_id in sources.index else ctx.lang
    return f'<q lang="{esc(language)}">{esc(text)}</q>&nbsp;{cite(ctx, source_id)}'


def with_more(items: list[str], total: int, lang: str) -> list[str]:
    """`items`, followed by 'and N more' when they are only the first of `total`."""
    if total > len(items):
        return [*items, esc(label("and_more", lang, count=total - len(items)))]
    return items


def paragraph(text: str) -> str:
    return f"<p>{text}</p>"


def names(ctx: ReportContext) -> dict[str, str]:
    return actor_names(ctx.record["actors"], ctx.lang)


def embed(
    ctx: ReportContext,
    figure: Figure,
    number: int,
    caption: str,
    alt: str,
    source_ids: Iterable[str],
) -> str:
    """The figure as HTML with its caption, alt text and source note; the figure is then freed."""
    html_figure = figure_html(figure, number, caption, alt, sources_note(ctx, source_ids), ctx.lang)
    close(figure)
    return html_figure


def sources_note(ctx: ReportContext, source_ids: Iterable[str]) -> str:
    """'Sources: [1], [4], [7].' for the sources a figure draws on."""
    numbers = ctx.source_numbers()
    cited = sorted({source for source in source_ids if source in numbers}, key=numbers.get)
    if not cited:
        return ""
    if len(cited) > MAX_CITED_IN_NOTE:
        return esc(label("sources_many", ctx.lang, count=len(cited)))
    return esc(label("sources_note", ctx.lang, sources="§")).replace(
        "§", ", ".join(cite(ctx, s) for s in cited)
    )


# --- the opening ----------------------------------------------------------------------------


def opening(ctx: ReportContext) -> str:
    """The 'data as of' line and the scope of this edition."""
    lang = ctx.lang
    as_of = esc(label("data_as_of", lang, date=format_date(ctx.as_of, lang)))
    parts = [f'<p class="as-of"><em>{as_of}</em></p>']
    if not ctx.include_public_record:
        parts.append(paragraph(esc(label("scope_article_only", lang))))
    if ctx.focus:
        followed = join_list([esc(names(ctx).get(actor, actor)) for actor in ctx.focus], lang)
        parts.append(paragraph(esc(label("scope_focus", lang, actors="§")).replace("§", followed)))
    return "\n".join(parts)


def summary(ctx: ReportContext) -> str:
    """The executive summary: a few sentences, every figure and date from the data."""
    lang, facts = ctx.lang, ctx.facts
    events, steps = facts["events"], facts["legal_actions"]
    dated = pd.concat([events["date"], steps["date"]]).dropna()
    items = []
    if len(dated):
        first = events.loc[events["date"].idxmin()] if events["date"].notna().any() else None
        precision = (
            str(first["date_precision"])
            if first is not None and first["date"] == dated.min()
            else "day"
        )
        span = format_span(dated.min().date(), precision, ctx.as_of, "day", lang)
        analysed = analysed_source_ids(facts["sources"])
        article_rows = sum(
            int(facts[t]["source_id"].isin(analysed).sum())
            for t in ("events", "amounts", "positions", "relations")
        )
        items.append(
            esc(
                label(
                    "summary_scope",
                    lang,
                    events=int(events["date"].notna().sum()),
                    steps=len(steps),
                    span=span,
                    sources=len(cited_sources(facts)),
                    article=article_rows,
                )
            )
        )
    by_id = events.set_index("event_id")
    if {"openai-founded", "musk-leaves-board"} <= set(by_id.index):
        items.append(
            esc(
                label(
                    "summary_origin",
                    lang,
                    founded=day(by_id.loc["openai-founded", "date"], lang),
                    left=day(by_id.loc["musk-leaves-board", "date"], lang),
                )
            )
        )
    amounts = facts["amounts"]
    if len(amounts):
        top = amounts.loc[amounts["low_usd"].idxmax()]
        items.append(
            esc(
                label(
                    "summary_money",
                    lang,
                    label=top[f"label_{lang}"],
                    amount=format_amount(
                        top["low_usd"], top["high_usd"], str(top["qualifier"]), lang
                    ),
                    date=when(top["date"], str(top["date_precision"]), lang),
                )
            )
        )
    for case_id, case_steps in steps.sort_values("date").groupby("case_id", sort=False):
        if not case_id.startswith("musk-v-altman"):
            continue
        case = facts["cases"].set_index("case_id").loc[case_id]
        last = case_steps.iloc[-1]
        items.append(
            esc(
                label(
                    "summary_case",
                    lang,
                    case=case[f"name_{lang}"],
                    first=day(case_steps["date"].iloc[0], lang),
                    last=day(last["date"], lang),
                    summary=last[f"summary_{lang}"],
                )
            )
        )
    conflicts = facts["conflicts"]
    article_rows = pd.concat(
        [
            facts[t][facts[t]["source_id"].isin(analysed_source_ids(facts["sources"]))]
            for t in ("events", "amounts", "positions")
        ]
    )
    unconfirmed = int((article_rows["verification"] == "unconfirmed").sum())
    if len(conflicts) or unconfirmed:
        items.append(
            esc(label("summary_conflicts", lang, count=len(conflicts), unconfirmed=unconfirmed))
        )
    if not items:
        return paragraph(esc(label("no_data", lang)))
    return '<ul class="summary">' + "".join(f"<li>{item}</li>" for item in items) + "</ul>"


# --- timeline -------------------------------------------------------------------------------


def timeline(ctx: ReportContext, number: int = 1) -> str:
    """Phases in prose, the overall timeline figure, and the busiest year."""
    lang, facts = ctx.lang, ctx.facts
    events = facts["events"][facts["events"]["date"].notna()]
    steps = facts["legal_actions"]
    if events.empty and steps.empty:
        return paragraph(esc(label("no_data", lang)))
    phases = phases_with_dates(ctx.record)
    phases = phases[phases["start"] <= pd.Timestamp(ctx.as_of)]
    parts = []
    if len(phases):
        items = [
            label(
                "phase_item",
                lang,
                number=n,
                label=row[f"label_{lang}"],
                date=day(row["start"], lang),
            )
            for n, (_, row) in enumerate(phases.iterrows(), start=1)
        ]
        parts.append(
            paragraph(
                esc(
                    label("timeline_phases", lang, count=len(phases), phases=join_list(items, lang))
                )
            )
        )
    years = pd.concat([events["date"], steps["date"]]).dt.year.value_counts()
    parts.append(
        paragraph(
            esc(label("timeline_busiest", lang, year=int(years.idxmax()), count=int(years.max())))
        )
    )
    figure, ax = plt.subplots(figsize=(FIGURE_WIDTH, 2.9))
    plot_overall_timeline(ax, events, steps, phases, lang, pd.Timestamp(ctx.as_of))
    start = pd.concat([events["date"], steps["date"]]).min()
    first = events.loc[events["date"].idxmin()] if len(events) else None
    precision = (
        str(first["date_precision"]) if first is not None and first["date"] == start else "day"
    )
    span = format_span(start.date(), precision, ctx.as_of, "day", lang)
    caption = label(
        "caption_overall", lang, events=len(events), steps=len(steps), span=span, phases=len(phases)
    )
    alt = label(
        "alt_overall",
        lang,
        start=start.year,
        end=ctx.as_of.year,
        phases=len(phases),
        phase_list=join_list([row[f"label_{lang}"] for _, row in phases.iterrows()], lang),
    )
    cited = pd.concat([events["source_id"], steps["source_id"]])
    parts.append(embed(ctx, figure, number, caption, alt, cited))
    return "\n".join(parts)


# --- money ----------------------------------------------------------------------------------


def amounts_to_draw(
    amounts: pd.DataFrame, analysed: set[str], limit: int = MAX_AMOUNT_ROWS
) -> pd.DataFrame:
    """All amounts if they fit; else the article's and then the largest, up to `limit` rows."""
    if len(amounts) <= limit:
        return amounts
    from_article = amounts["source_id"].isin(analysed)
    rest = amounts[~from_article].sort_values("low_usd", ascending=False)
    return pd.concat([amounts[from_article], rest]).head(limit)


def money(ctx: ReportContext, number: int = 2) -> str:
    """Amounts in prose (rounds, disputed donations, the article's figures) and their chart."""
    lang, facts = ctx.lang, ctx.facts
    amounts = facts["amounts"]
    if amounts.empty:
        return paragraph(esc(label("no_data", lang)))
    who = names(ctx)
    open_ended = amounts["qualifier"].isin(OPEN_UPWARDS | OPEN_DOWNWARDS)
    claims = int((amounts["assertion"] != "fact").sum())
    parts = [
        paragraph(
            esc(
                label(
                    "money_overview",
                    lang,
                    count=len(amounts),
                    claims=claims,
                    open=int(open_ended.sum()),
                )
            )
        )
    ]
    rounds = amounts[
        (amounts["purpose"] == "funding round") & (amounts["to_actor"] == "openai")
    ].sort_values("date")
    if len(rounds) >= 2:
        first, last = rounds.iloc[0], rounds.iloc[-1]
        parts.append(
            paragraph(
                esc(
                    label(
                        "money_rounds",
                        lang,
                        first=format_amount(
                            first["low_usd"], first["high_usd"], str(first["qualifier"]), lang
                        ),
                        first_date=when(first["date"], str(first["date_precision"]), lang),
                        last=format_amount(
                            last["low_usd"], last["high_usd"], str(last["qualifier"]), lang
                        ),
                        last_date=when(last["date"], str(last["date_precision"]), lang),
                    )
                )
            )
        )
    donations = amounts[
        (amounts["purpose"] == "donation") & (amounts["from_actor"] == "musk")
    ].sort_values("date")
    if len(donations) >= 2:
        figures = [
            esc(
                label(
                    "money_donation_item",
                    lang,
                    amount=format_amount(
                        row["low_usd"], row["high_usd"], str(row["qualifier"]), lang
                    ),
                    who=who.get(row["asserted_by"], row["asserted_by"]),
                    date=when(row["date"], str(row["date_precision"]), lang),
                )
            )
            + "&nbsp;"
            + cite(ctx, row["source_id"])
            for _, row in donations.tail(MAX_LISTED).iterrows()
        ]
        parts.append(
            paragraph(
                esc(label("money_donations", lang, figures="§")).replace(
                    "§", join_list(with_more(figures, len(donations), lang), lang)
                )
            )
        )
    analysed = analysed_source_ids(facts["sources"])
    from_article = amounts[amounts["source_id"].isin(analysed)]
    if len(from_article):
        items = [
            esc(
                label(
                    "money_article_item",
                    lang,
                    label=row[f"label_{lang}"],
                    amount=format_amount(
                        row["low_usd"], row["high_usd"], str(row["qualifier"]), lang
                    ),
                )
            )
            + " "
            + quoted(ctx, row["quote"], row["source_id"])
            for _, row in from_article.head(MAX_LISTED).iterrows()
        ]
        items = with_more(items, len(from_article), lang)
        parts.append(
            paragraph(esc(label("money_article", lang, items="§")).replace("§", "; ".join(items)))
        )
    drawn = amounts_to_draw(amounts, analysed)
    rows = len(drawn) + drawn["purpose"].nunique()
    figure, ax = plt.subplots(figsize=(FIGURE_WIDTH, figure_height(rows, base=1.5, per_row=0.21)))
    plot_amounts(ax, drawn, lang)
    caption = label("caption_amounts", lang, count=len(drawn))
    values = drawn["low_usd"]
    alt = label(
        "alt_amounts",
        lang,
        count=len(drawn),
        low=format_amount(values.min(), None, "exact", lang),
        high=format_amount(values.max(), None, "exact", lang),
        claims=int((drawn["assertion"] != "fact").sum()),
        open=int(drawn["qualifier"].isin(OPEN_UPWARDS | OPEN_DOWNWARDS).sum()),
    )
    parts.append(embed(ctx, figure, number, caption, alt, drawn["source_id"]))
    return "\n".join(parts)


# --- courts ---------------------------------------------------------------------------------


def courts(ctx: ReportContext, number: int = 3) -> str:
    """Cases in prose, the lane chart of every step, and the numbered table of steps."""
    lang, facts = ctx.lang, ctx.facts
    steps = facts["legal_actions"]
    if steps.empty:
        return paragraph(esc(label("no_data", lang)))
    steps = number_steps(steps)
    cases = facts["cases"].set_index("case_id")
    parts = [
        paragraph(
            esc(
                label(
                    "legal_overview",
                    lang,
                    steps=len(steps),
                    cases=steps["case_id"].nunique(),
                    last=day(steps["date"].max(), lang),
                )
            )
        )
    ]
    items = []
    for case_id, case_steps in steps.groupby("case_id", sort=False):
        items.append(
            esc(
                label(
                    "legal_case",
                    lang,
                    case=cases.loc[case_id, f"name_{lang}"],
                    steps=len(case_steps),
                    first=day(case_steps["date"].min(), lang),
                    last=day(case_steps["date"].max(), lang),
                )
            )
        )
    parts.append("<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>")
    lanes = steps["case_id"].nunique()
    figure, ax = plt.subplots(figsize=(FIGURE_WIDTH, legal_figure_height(steps)))
    plot_legal_timeline(ax, steps, facts["cases"], lang)
    key = "caption_legal" if numbers_fit(steps) else "caption_legal_dense"
    caption = label(key, lang, steps=len(steps), cases=lanes)
    rulings = int(steps["step"].isin(["ruling", "verdict", "regulator decision"]).sum())
    alt = label(
        "alt_legal",
        lang,
        cases=lanes,
        start=day(steps["date"].min(), lang),
        end=day(steps["date"].max(), lang),
        steps=len(steps),
        rulings=rulings,
    )
    parts.append(embed(ctx, figure, number, caption, alt, steps["source_id"]))
    if numbers_fit(steps) or len(steps) <= MAX_STEP_ROWS:
        parts.append(step_table(ctx, steps))
    else:  # too many steps to list: the latest ones, and how many came before
        parts.append(
            paragraph(esc(label("legal_table_cut", lang, shown=MAX_STEP_ROWS, total=len(steps))))
        )
        parts.append(step_table(ctx, steps.tail(MAX_STEP_ROWS)))
    return "\n".join(parts)


def step_table(ctx: ReportContext, steps: pd.DataFrame) -> str:
    """The key of the legal chart: number, date, case, step and what happened, with its source."""
    lang = ctx.lang
    cases = ctx.facts["cases"].set_index("case_id")
    head = "".join(
        f"<th>{esc(label(key, lang))}</th>"
        for key in (
            "legal_key_number",
            "legal_key_date",
            "legal_key_case",
            "legal_key_step",
            "legal_key_summary",
        )
    )
    body = "".join(
        "<tr>"
        f"<td>{row['number']}</td>"
        f"<td>{esc(when(row['date'], str(row['date_precision']), lang))}</td>"
        f"<td>{esc(cases.loc[row['case_id'], f'name_{lang}'])}</td>"
        f"<td>{esc(code_label('step', str(row['step']), lang))}</td>"
        f"<td>{esc(row[f'summary_{lang}'])}&nbsp;{cite(ctx, row['source_id'])}</td>"
        "</tr>"
        for _, row in steps.iterrows()
    )
    return f'<table class="steps"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


# --- positions ------------------------------------------------------------------------------


def positions(ctx: ReportContext, number: int = 4) -> str:
    """Each topic's positions in prose, and the actors x topics grid."""
    lang, facts = ctx.lang, ctx.facts
    table = facts["positions"]
    if table.empty:
        return paragraph(esc(label("no_data", lang)))
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
                "positions_item",
                lang,
                actor=who.get(actor, actor),
                stance=label(f"positions_word_{int(stance)}", lang),
            )
            if actor != asserter:
                text += label("positions_by", lang, by=who.get(asserter, asserter))
            stances.append(text)
        items.append(
            esc(
                label(
                    "positions_topic",
                    lang,
                    topic=getattr(topic, f"label_{lang}"),
                    stances=join_list(stances, lang),
                )
            )
        )
    parts = ["<ul>" + "".join(f"<li>{item}</li>" for item in items) + "</ul>"]
    shown = matrix.index[:MAX_POSITION_ROWS]
    drawn = table[table.set_index(["actor_id", "asserted_by"]).index.isin(shown)]
    figure, ax = plt.subplots(
        figsize=(FIGURE_WIDTH, figure_height(len(shown), base=2.2, per_row=0.36))
    )
    plot_positions(ax, drawn, ctx.record["actors"], topics, lang)
    cells = position_matrix(drawn).reindex(
        columns=[t for t in topics["topic_id"] if t in matrix.columns]
    )
    caption = label("caption_positions", lang, topics=cells.shape[1])
    alt = label(
        "alt_positions",
        lang,
        rows=cells.shape[0],
        topics=cells.shape[1],
        known=int(cells.notna().sum().sum()),
        unknown=int(cells.isna().sum().sum()),
    )
    parts.append(embed(ctx, figure, number, caption, alt, drawn["source_id"]))
    return "\n".join(parts)


# --- relations ------------------------------------------------------------------------------


def relations(ctx: ReportContext, number: int = 5) -> str:
    """The count of ties, the busiest actor, and the network figure."""
    lang, facts = ctx.lang, ctx.facts
    ties = facts["relations"]
    if ties.empty:
        return paragraph(esc(label("no_data", lang)))
    who = names(ctx)
    degree = pd.concat([ties["from_actor"], ties["to_actor"]]).value_counts()
    busiest = degree.index[0]
    parts = [
        paragraph(
            esc(
                label(
                    "relations_overview",
                    lang,
                    ties=len(ties),
                    actors=len(degree),
                    busiest=who.get(busiest, busiest),
                    count=int(degree.iloc[0]),
                )
            )
        )
    ]
    figure, ax = plt.subplots(figsize=(FIGURE_WIDTH, 5.0))
    plot_relations(ax, ties, ctx.record["actors"], lang)
    caption = label("caption_relations", lang, ties=len(ties), actors=len(degree))
    alt = label(
        "alt_relations",
        lang,
        actors=len(degree),
        ties=len(ties),
        busiest=join_list([who.get(a, a) for a in degree.index[:3]], lang),
    )
    parts.append(embed(ctx, figure, number, caption, alt, ties["source_id"]))
    return "\n".join(parts)


# --- disputed claims ------------------------------------------------------------------------

ROW_KEYS = {"events": "event_id", "legal_actions": "action_id", "amounts": "amount_id",
            "positions": "position_id", "relations": "relation_id"}  # fmt: skip


def _version(ctx: ReportContext, reference: str) -> str:
    table, identifier = reference.split(":", 1)
    rows = ctx.record[table].set_index(ROW_KEYS[table])
    if identifier not in rows.index:
        return ""
    row = rows.loc[identifier]
    lang = ctx.lang
    title = next(
        (row[c] for c in (f"title_{lang}", f"summary_{lang}", f"label_{lang}") if c in row.index),
        "",
    )
    date = (
        when(row["date"], str(row["date_precision"]), lang) if "date_precision" in row.index else ""
    )
    head = esc(title) + (f" ({esc(date)})" if date and date != label("unknown_date", lang) else "")
    return f"{head} — {quoted(ctx, row['quote'], row['source_id'])}"


def disputes(ctx: ReportContext) -> str:
    """Each disagreement: both versions, their words and sources, and the project's reading."""
    lang = ctx.lang
    conflicts = ctx.facts["conflicts"]
    if conflicts.empty:
        return paragraph(esc(label("conflicts_none", lang)))
    blocks = []
    for conflict in conflicts.itertuples():
        versions = [v for v in (conflict.version_a, conflict.version_b) if isinstance(v, str) and v]
        colon = "\u00a0: " if lang == "fr" else ": "  # French puts a space before the colon
        items = "".join(
            f"<li><strong>{esc(label('conflict_version', lang, letter='AB'[i]))}</strong>"
            f"{colon}{_version(ctx, version)}</li>"
            for i, version in enumerate(versions)
        )
        assessment = code_label("assessment", str(conflict.assessment), lang)
        kind = code_label("conflict_kind", str(conflict.kind), lang)
        blocks.append(
            f'<div class="conflict"><h3>{esc(getattr(conflict, f"title_{lang}"))}</h3>'
            f'<p class="conflict-kind">{esc(kind)}</p>'
            f"<p>{esc(getattr(conflict, f'summary_{lang}'))}</p><ul>{items}</ul>"
            f"<p><em>{esc(label('conflict_assessment', lang, assessment=assessment))}</em></p>"
            "</div>"
        )
    return "\n".join(blocks)


# --- method and sources ---------------------------------------------------------------------


def method(ctx: ReportContext) -> str:
    """What the data holds and how much of it is confirmed, and this edition's parameters."""
    lang, facts = ctx.lang, ctx.facts
    checked = pd.concat(
        [
            facts[t]["verification"].astype(str)
            for t in ("events", "legal_actions", "amounts", "positions", "relations")
        ]
    )
    counts = checked.value_counts()
    rows = sum(len(table) for table in facts.values())
    text = label(
        "method_counts",
        lang,
        rows=format_number(rows, lang),
        tables=len(facts),
        sources=len(cited_sources(facts)),
        confirmed=int(counts.get("confirmed", 0)),
        inferred=int(counts.get("inferred", 0)),
        unconfirmed=int(counts.get("unconfirmed", 0)),
        contradicted=int(counts.get("contradicted", 0)),
    )
    focus = (
        join_list([names(ctx).get(a, a) for a in ctx.focus], lang)
        if ctx.focus
        else label("all_actors", lang)
    )
    parameters = label(
        "method_parameters",
        lang,
        language=label("edition_language", lang),
        as_of=format_date(ctx.as_of, lang),
        record=label("yes" if ctx.include_public_record else "no", lang),
        focus=focus,
    )
    return paragraph(esc(text)) + paragraph(esc(parameters))


def sources_list(ctx: ReportContext) -> str:
    """The numbered list of every source cited, with publisher, title, date and address."""
    lang = ctx.lang
    items = []
    for source_id, source in cited_sources(ctx.facts).iterrows():
        title = (
            f' <cite lang="{esc(source["language"])}">{esc(source["title"])}</cite>.'
            if source["title"]
            else ""
        )
        if pd.notna(source["published"]):
            date = label(
                "source_published",
                lang,
                date=when(source["published"], str(source["published_precision"]), lang),
            )
        else:
            date = label("source_undated", lang)
        url = source["url"]
        link = (
            f' <a href="{esc(url)}">{esc(url)}</a>'
            if url.startswith(("https://", "http://"))
            else ""
        )
        archived = f" {esc(label('source_archived', lang))}." if source["archived_path"] else ""
        publisher = esc(source["publisher"])
        items.append(
            f'<li id="src-{esc(source_id)}">{publisher}.{title} {esc(date)}.{archived}{link}</li>'
        )
    return '<ol class="sources">' + "".join(items) + "</ol>"
