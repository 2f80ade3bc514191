"""Disputed claims: each disagreement with both versions in their own words, and our reading."""

from helpers.context import ReportContext
from helpers.i18n import code_label, format_amount, label
from helpers.report.prose import Prose, Text, merged, quoted, say
from helpers.report.section import Section
from helpers.report.words import in_sentence, names, no_data, section, when

ORDER = 70
TITLE_FIELDS = ("title", "summary", "label")  # what names a row, in the edition's language


def version(ctx: ReportContext, reference: str) -> Prose:
    """'What it says (date) — “its words” [n]' for a reference 'table:id'; empty if not found."""
    table, identifier = reference.split(":", 1)
    rows = ctx.rows.get(table)
    if rows is None or identifier not in rows.index:
        return ()
    row, lang = rows.loc[identifier], ctx.lang
    title = next(
        (row[f"{name}_{lang}"] for name in TITLE_FIELDS if f"{name}_{lang}" in row.index), ""
    )
    if table == "amounts":  # told from its fields: a chart label spliced here reads wrong
        title = _amount_title(ctx, row)
    date = when(row["date"], str(row["date_precision"]), lang) if "date_precision" in row else ""
    if date and date != label("common.unknown_date", lang):
        title = f"{title} ({date})"
    return merged((Text(title), Text(" — "), quoted(ctx, row)))


def _amount_title(ctx: ReportContext, row) -> str:
    """'Alleged loss according to Elon Musk: $40 million', or 'Investment: $1 billion'."""
    lang, asserter = ctx.lang, row["asserted_by"]
    purpose = code_label("purpose", str(row["purpose"]), lang)
    amount = format_amount(row["low_usd"], row["high_usd"], str(row["qualifier"]), lang)
    if isinstance(asserter, str) and asserter and row["assertion"] != "fact":
        who = in_sentence(names(ctx).get(asserter, asserter), lang)
        return label("disputes.amount_claimed", lang, purpose=purpose, who=who, amount=amount)
    return label("disputes.amount_stated", lang, purpose=purpose, amount=amount)


def build(ctx: ReportContext) -> Section:
    lang = ctx.lang
    conflicts = ctx.facts["conflicts"]
    if conflicts.empty:
        return no_data(ctx, "disputes", "disputes.none")
    blocks = []
    for conflict in conflicts.itertuples():
        references = [
            v for v in (conflict.version_a, conflict.version_b) if isinstance(v, str) and v
        ]
        blocks.append(
            {
                "title": getattr(conflict, f"title_{lang}"),
                "kind": code_label("conflict_kind", str(conflict.kind), lang),
                "summary": getattr(conflict, f"summary_{lang}"),
                "versions": [
                    (label("disputes.version", lang, letter="AB"[index]), version(ctx, reference))
                    for index, reference in enumerate(references)
                ],
                "reading": say(
                    "disputes.assessment",
                    lang,
                    assessment=code_label("assessment", str(conflict.assessment), lang),
                ),
            }
        )
    return section(ctx, "disputes", extra={"conflicts": blocks}, table=conflicts)
