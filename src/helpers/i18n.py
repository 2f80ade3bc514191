"""Words, dates, numbers and money written the way each language of the report writes them.

The texts themselves live in the catalogues `helpers/report/text/<lang>.toml`, one per language,
which a translator reads and edits; this module picks and formats them.
"""

import datetime as dt
import functools
import math
import numbers
import string
import tomllib

from helpers.paths import PACKAGE_DIR
from helpers.typography import typeset

LANGUAGES: tuple[str, ...] = ("fr", "en")
NBSP = "\u00a0"  # French keeps numbers, units and « » together on one line

MONTHS = {
    "fr": (
        "janvier", "février", "mars", "avril", "mai", "juin",
        "juillet", "août", "septembre", "octobre", "novembre", "décembre",
    ),
    "en": (
        "January", "February", "March", "April", "May", "June",
        "July", "August", "September", "October", "November", "December",
    ),
}  # fmt: skip

MONTHS_SHORT = {
    "fr": (
        "janv.", "févr.", "mars", "avr.", "mai", "juin",
        "juil.", "août", "sept.", "oct.", "nov.", "déc.",
    ),
    "en": (
        "Jan.", "Feb.", "March", "April", "May", "June",
        "July", "Aug.", "Sept.", "Oct.", "Nov.", "Dec.",
    ),
}  # fmt: skip

# Newsroom style: a count from zero to nine is spelled out in running text, 10 and over in digits.
# A catalogue marks such a count `{name:words}` (`{name:words-f}` before a French feminine noun:
# 'une question'); counts beside units, dates and amounts stay plain `{name}`. `{name:step|steps}`
# writes the noun that agrees with the count; where the words around the count change with it too
# (French 'les un événements'), `{name:Le seul événement|Les # événements}` writes the count at #.
NUMBER_WORDS = {
    "fr": ("zéro", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf"),
    "en": ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
}  # fmt: skip
FEMININE = {"fr": {1: "une"}}
WORD_SPECS = ("words", "words-f")

CATALOGUES = PACKAGE_DIR / "report" / "text"


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    flat = {}
    for key, value in table.items():
        if isinstance(value, dict):
            flat |= _flatten(value, f"{prefix}{key}.")
        else:
            flat[prefix + key] = value
    return flat


@functools.cache
def catalogue(lang: str) -> dict[str, str]:
    """Every text of `lang`, by dotted key ('money.heading', 'codes.purpose.donation')."""
    with open(CATALOGUES / f"{check_language(lang)}.toml", "rb") as handle:
        return _flatten(tomllib.load(handle))


def check_language(lang: str) -> str:
    """Return `lang` if the report is written in it, else raise a ValueError naming the choices."""
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}: choose one of {', '.join(LANGUAGES)}")
    return lang


def label(key: str, lang: str, **values: object) -> str:
    """The text of `key` in `lang`, with `{placeholders}` filled from `values`."""
    try:
        text = catalogue(lang)[key]
    except KeyError:
        raise KeyError(f"no text {key!r} in the {lang!r} catalogue") from None
    return typeset(_CatalogueFormatter(lang).format(text, **values) if values else text, lang)


class _CatalogueFormatter(string.Formatter):
    """`str.format` that also writes a count marked `{name:words}` in words (`format_value`)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def format_field(self, value: object, format_spec: str) -> str:
        return format_value(value, format_spec, self.lang)


def format_value(value: object, spec: str, lang: str) -> str:
    """`value` formatted by a catalogue placeholder's `spec`: 'words' (or 'words-f', a French
    feminine noun follows) spells out a count under ten and writes larger ones with the
    language's separators; 'step|steps' gives the noun that agrees with the count (French
    takes the singular for zero too); 'the one step|the # steps' gives the words of one, or the
    others with the count (as 'words' writes it) at #; any other spec is Python's."""
    if spec in WORD_SPECS or "|" in spec:
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise TypeError(f"a count marked {{:{spec}}} must be an integer, not {value!r}")
        if "|" in spec:  # 'step|steps': the noun that agrees with the count
            singular, plural = spec.split("|")
            if "#" in plural:  # 'The one amount|The # amounts': words that hold the count
                return (
                    singular
                    if int(value) == 1
                    else plural.replace("#", format_value(value, "words", lang))
                )
            return singular if int(value) == 1 or (lang == "fr" and int(value) == 0) else plural
        count = int(value)
        if 0 <= count < len(NUMBER_WORDS[check_language(lang)]):
            return spelled(count, lang, feminine=spec == "words-f")
        return format_number(count, lang)  # 10 and over in digits: 1,234 / 1 234
    return format(value, spec)


def code_label(field: str, code: str, lang: str) -> str:
    """How a code of the data (a purpose, a step, a kind...) reads in `lang`."""
    try:
        return typeset(catalogue(lang)[f"codes.{field}.{code}"], lang)
    except KeyError:
        raise KeyError(f"no {lang!r} label for {field} code {code!r}") from None


def format_date(date: dt.date, lang: str, precision: str = "day") -> str:
    """Write `date` as a reader of `lang` expects, down to `precision` (day, month or year).

    >>> format_date(dt.date(2024, 12, 24), "fr")
    '24 décembre 2024'
    >>> format_date(dt.date(2024, 12, 24), "en")
    'December 24, 2024'
    """
    check_language(lang)
    month = MONTHS[lang][date.month - 1]
    if precision == "year":
        return str(date.year)
    if precision == "month":
        return f"{month} {date.year}"
    if precision != "day":
        raise ValueError(f"unknown date precision {precision!r}: use day, month or year")
    if lang == "fr":
        day = "1er" if date.day == 1 else str(date.day)
        return f"{day} {month} {date.year}"
    return f"{month} {date.day}, {date.year}"


def format_date_short(date: dt.date, lang: str, precision: str = "day") -> str:
    """A date for a chart label, to the month at most: 'Jan. 2026' / 'janv. 2026', or '2026'.

    Month and year are joined by a no-break space, so a wrapped label never splits them.
    """
    check_language(lang)
    if precision == "year":
        return str(date.year)
    return f"{MONTHS_SHORT[lang][date.month - 1]}{NBSP}{date.year}"


def format_span(
    start: dt.date, start_precision: str, end: dt.date, end_precision: str, lang: str
) -> str:
    """'from 2015 to June 15, 2026' / 'de 2015 au 15 juin 2026', 'du 11 décembre 2015 au ...'."""
    first = format_date(start, lang, start_precision)
    last = format_date(end, lang, end_precision)
    if lang == "en":
        return f"from {first} to {last}"
    opening = "du " if start_precision == "day" else "de "
    closing = " au " if end_precision == "day" else " à "
    return opening + first + closing + last


def spelled(count: int, lang: str, feminine: bool = False) -> str:
    """A count as prose writes it: in words up to nine ('five', 'cinq'; 'une' before a French
    feminine noun), in digits from 10."""
    check_language(lang)
    if feminine and count in FEMININE.get(lang, {}):
        return FEMININE[lang][count]
    return NUMBER_WORDS[lang][count] if 0 <= count < len(NUMBER_WORDS[lang]) else str(count)


def format_number(value: float, lang: str, decimals: int = 0) -> str:
    """A number with the language's separators: 1,234.5 in English, 1 234,5 in French."""
    check_language(lang)
    text = f"{value:,.{decimals}f}"
    if lang == "fr":
        text = text.replace(",", NBSP).replace(".", ",")
    return text


def _significant(value: float, digits: int = 3) -> str:
    """`value` with at most `digits` significant digits and no trailing zeros (6.6, 97.4, 852)."""
    if value == 0:
        return "0"
    decimals = max(0, digits - 1 - math.floor(math.log10(abs(value))))
    return f"{value:.{decimals}f}".rstrip("0").rstrip(".") if decimals else f"{value:.0f}"


SCALES = ((1e12, "trillion", "billion"), (1e9, "billion", "milliard"), (1e6, "million", "million"))


def format_money(value: float, lang: str) -> str:
    """US dollars as prose: '$6.6 billion', '6,6 milliards de dollars', '$44 million'.

    French writes thousands of billions as 'milliards' ('1 250 milliards de dollars'), as the
    French press does, and makes 'milliard' and 'million' plural from 2.
    """
    check_language(lang)
    if lang == "en":
        for size, word, _ in SCALES:
            if value >= size:
                return f"${_significant(value / size)} {word}"
        return f"${format_number(value, 'en')}"
    if value >= 1e9:
        count = value / 1e9
        number = format_number(count, "fr") if count >= 1000 else _significant(count)
        word = "milliard" if count < 2 else "milliards"
    elif value >= 1e6:
        count = value / 1e6
        number, word = _significant(count), "million" if count < 2 else "millions"
    else:
        return f"{format_number(value, 'fr')}{NBSP}dollars"
    return f"{number.replace('.', ',')}{NBSP}{word} de dollars"


def format_money_short(value: float, lang: str) -> str:
    """Compact money for chart axes: '$10B', '$100M' in English; '10 Md$', '100 M$' in French."""
    check_language(lang)
    if lang == "en":
        for size, suffix in ((1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "k")):
            if value >= size:
                return f"${_significant(value / size)}{suffix}"
        return f"${_significant(value)}"
    for size, suffix in ((1e9, "Md"), (1e6, "M"), (1e3, "k")):
        if value >= size:
            count = value / size
            number = format_number(count, "fr") if count >= 1000 else _significant(count)
            return f"{number.replace('.', ',')}{NBSP}{suffix}$"
    return f"{_significant(value)}{NBSP}$"


def format_amount(low: float, high: float | None, qualifier: str, lang: str) -> str:
    """An amount with its uncertainty, as the source qualifies it, in `lang`.

    'more than $100 billion' / 'plus de 100 milliards de dollars'; a range reads 'from X to Y'.
    """
    check_language(lang)
    if high is not None and not math.isnan(high) and high != low:
        return label(
            "amount.range", lang, low=format_money(low, lang), high=format_money(high, lang)
        )
    if qualifier == "several":
        key = (
            "amount.hundreds_of_billions"
            if low >= 1e11
            else ("amount.several_billion" if low >= 1e9 else "amount.several_million")
        )
        return label(key, lang)
    if qualifier == "exact":
        return format_money(low, lang)
    return label(f"amount.{qualifier.replace(' ', '_')}", lang, amount=format_money(low, lang))
