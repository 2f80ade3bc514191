"""Prose as structured parts: plain text, numbered citations and quotations.

A sentence pattern of the catalogue is filled with `fill`, which keeps each value a part of its
own: text stays text (the template escapes it), a citation stays a link to the list of sources, a
quotation keeps its language. No HTML is ever assembled here.
"""

import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from helpers.context import ReportContext
from helpers.i18n import format_value, label
from helpers.typography import nested_quotes


@dataclass(frozen=True)
class Text:
    """Plain text, escaped when rendered."""

    text: str
    kind: str = "text"


@dataclass(frozen=True)
class Cite:
    """A numbered link to a source of the list at the end of the report."""

    number: int
    source_id: str
    kind: str = "cite"


@dataclass(frozen=True)
class Quote:
    """Words quoted, followed by their citation when there is one.

    `text` is the original in its language `lang`. When that is not the edition's language,
    `translation` is our translation into it, shown first, and `label` says so ('our
    translation; original:'), before the original.
    """

    text: str
    lang: str
    cite: Cite | None = None
    translation: str = ""
    label: str = ""
    kind: str = "quote"


Part = Text | Cite | Quote
Prose = tuple[Part, ...]

_FORMATTER = string.Formatter()


def _parts(value: object) -> Prose:
    if isinstance(value, Text | Cite | Quote):
        return (value,)
    if isinstance(value, tuple) and all(isinstance(part, Text | Cite | Quote) for part in value):
        return value
    return (Text(str(value)),)


def merged(parts: Iterable[Part]) -> Prose:
    """`parts` with neighbouring texts joined, and empty texts dropped."""
    out: list[Part] = []
    for part in parts:
        if isinstance(part, Text):
            if not part.text:
                continue
            if out and isinstance(out[-1], Text):
                out[-1] = Text(out[-1].text + part.text)
                continue
        out.append(part)
    return tuple(out)


def fill(pattern: str, lang: str = "en", **values: object) -> Prose:
    """The parts of `pattern` with each `{name}` replaced by its value, kept as parts.

    A value may be text, a number, a part or prose (a tuple of parts); a count marked
    `{name:words}` is spelled out in `lang` when under ten.
    """
    parts: list[Part] = []
    for literal, name, spec, _ in _FORMATTER.parse(pattern):
        parts.append(Text(literal))
        if name is None:
            continue
        value = values[name]
        parts.extend(_parts(format_value(value, spec, lang) if spec else value))
    return merged(parts)


def say(key: str, lang: str, **values: object) -> Prose:
    """The catalogue's sentence `key` in `lang`, filled with `values` as parts."""
    return fill(label(key, lang), lang, **values)


def join(
    items: Sequence[object], lang: str, separator: str = ", ", *, conjunction: bool = True
) -> Prose:
    """'a, b and c' / 'a, b et c' (or 'a, b, c' without the conjunction), items kept as parts."""
    parts: list[Part] = []
    for index, item in enumerate(items):
        if index:
            last = index == len(items) - 1 and conjunction
            parts.append(Text(label("common.list_and", lang) if last else separator))
        parts.extend(_parts(item))
    return merged(parts)


def with_more(items: list, total: int, lang: str) -> list:
    """`items`, followed by 'and N more' when they are only the first of `total`."""
    if total > len(items):
        return [*items, label("common.and_more", lang, count=total - len(items))]
    return items


def cite(ctx: ReportContext, source_id: str) -> Cite | None:
    """The citation of `source_id`, or None when the edition does not list that source."""
    number = ctx.source_numbers().get(source_id)
    return Cite(number, source_id) if number is not None else None


def cited(ctx: ReportContext, source_id: str, *parts: object) -> Prose:
    """`parts` followed by a non-breaking space and the citation of `source_id`."""
    reference = cite(ctx, source_id)
    body = merged(part for item in parts for part in _parts(item))
    return body if reference is None else merged((*body, Text("\u00a0"), reference))


def quote(ctx: ReportContext, text: str, source_id: str, translation: str = "") -> Quote:
    """A quotation in its source's language, with its citation; with `translation`, our words
    in the edition's language, when the source is in another. Quotation marks inside the words
    become the edition's inner marks (single in English, double in French)."""
    language = str(ctx.source_languages.get(source_id, ctx.lang))
    translated = translation.strip() if language != ctx.lang else ""
    return Quote(
        nested_quotes(text, ctx.lang),
        language,
        cite(ctx, source_id),
        nested_quotes(translated, ctx.lang),
        label("common.our_translation", ctx.lang) if translated else "",
    )


def quoted(ctx: ReportContext, row: Mapping[str, object]) -> Quote:
    """The quote of a row of the data (`quote`, `source_id`), with our translation into the
    edition's language (`quote_<lang>`) when the data has one."""
    translation = row.get(f"quote_{ctx.lang}", "")
    text = translation if isinstance(translation, str) else ""
    return quote(ctx, str(row["quote"]), str(row["source_id"]), text)


def plain(prose: Iterable[Part]) -> str:
    """The prose as plain text (citations as [n]), for alt texts, tests and logs."""
    out = []
    for part in prose:
        if isinstance(part, Text):
            out.append(part.text)
        elif isinstance(part, Cite):
            out.append(f"[{part.number}]")
        else:
            words = f"“{part.text}”"
            if part.translation:
                words = f"“{part.translation}” ({part.label} {words})"
            out.append(words + (f" [{part.cite.number}]" if part.cite else ""))
    return "".join(out)
