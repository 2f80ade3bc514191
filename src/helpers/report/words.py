"""What every section module says the same way: dates at their precision, actor names, the
sources note of a figure, and a section's heading and intro from the catalogue."""

from collections.abc import Iterable

import pandas as pd

from helpers.charts import actor_names
from helpers.context import ReportContext
from helpers.i18n import catalogue, format_date, label
from helpers.report.prose import Prose, join, say
from helpers.report.prose import cite as cite_source
from helpers.report.section import Section

FIGURE_WIDTH = 6.7  # inches: the A4 text width
MAX_LISTED = 6  # items a sentence lists before it says how many more there are
MAX_CITED_IN_NOTE = 12  # past this a figure's note points to the list of sources instead


def when(date: pd.Timestamp, precision: str, lang: str) -> str:
    """A date of the data at its known precision, or 'undated'."""
    if pd.isna(date) or precision == "unknown":
        return label("common.unknown_date", lang)
    return format_date(date.date(), lang, precision)


def day(date: pd.Timestamp, lang: str) -> str:
    return format_date(date.date(), lang)


# a leading article a name or a summary of the data may start with, lowercased inside a sentence
ARTICLES = {
    "en": ("The", "A", "An"),
    "fr": ("Le", "La", "Les", "L\u2019", "L'", "Un", "Une", "Des"),
}


def in_sentence(text: str, lang: str) -> str:
    """`text` as it reads after the start of a sentence: a leading article lowercased ('The
    judge refuses' -> 'the judge refuses', 'Les avocats' -> 'les avocats'); names keep their
    capitals ('Musk says', 'Delaware Attorney General')."""
    for article in ARTICLES.get(lang, ()):
        rest = text[len(article) :]
        if text.startswith(article) and (article.endswith(("\u2019", "'")) or rest[:1] == " "):
            return article.lower() + rest
    return text


def capitalized(text: str) -> str:
    """`text` as it reads at the start of a sentence: its first letter a capital."""
    return text[:1].upper() + text[1:]


def names(ctx: ReportContext) -> dict[str, str]:
    """Actor names by id, in the edition's language."""
    return actor_names(ctx.record["actors"], ctx.lang)


def sources_note(ctx: ReportContext, source_ids: Iterable[str]) -> Prose:
    """'Sources: [1], [4], [7].' for the sources a figure draws on."""
    numbers = ctx.source_numbers()
    # a column of a table is read as a list first: pandas gives its strings one by one slowly
    ids = source_ids.tolist() if isinstance(source_ids, pd.Series) else source_ids
    used = sorted({source for source in ids if source in numbers}, key=numbers.get)
    if not used:
        return ()
    if len(used) > MAX_CITED_IN_NOTE:
        return say("figure.sources_many", ctx.lang, count=len(used))
    citations = [cite_source(ctx, source) for source in used]
    return say(
        "figure.sources_note", ctx.lang, sources=join(citations, ctx.lang, conjunction=False)
    )


def section(ctx: ReportContext, key: str, **content: object) -> Section:
    """A section of `key` with its heading and intro from the catalogue, and `content`."""
    lang = ctx.lang
    texts = catalogue(lang)
    heading, intro = texts.get(f"{key}.heading", ""), texts.get(f"{key}.intro", "")
    return Section(key=key, lang=lang, heading=heading, intro=intro, **content)  # type: ignore[arg-type]


def no_data(ctx: ReportContext, key: str, message: str = "common.no_data") -> Section:
    """The section of `key` saying that nothing in this edition matches."""
    return section(ctx, key, paragraphs=(say(message, ctx.lang),))
