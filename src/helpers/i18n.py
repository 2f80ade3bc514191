"""Words of the report in each language, and dates written the way each language writes them."""

import datetime as dt

LANGUAGES: tuple[str, ...] = ("fr", "en")

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

# Every word a chart or a generated sentence shows, in every language of LANGUAGES.
LABELS: dict[str, dict[str, str]] = {
    "report_title": {
        "fr": "La guerre de l'IA : Musk contre Altman",
        "en": "The AI war: Musk versus Altman",
    },
    "timeline_title": {
        "fr": "Ce que l'article date",
        "en": "What the article dates",
    },
    "timeline_xlabel": {"fr": "Année", "en": "Year"},
    "source_note": {"fr": "Source : {source}", "en": "Source: {source}"},
    "data_as_of": {"fr": "Données arrêtées au {date}", "en": "Data as of {date}"},
    "events_counted": {
        "fr": "{count} événements datés par l'article jusqu'au {date}.",
        "en": "{count} events dated by the article up to {date}.",
    },
}


def check_language(lang: str) -> str:
    """Return `lang` if the report is written in it, else raise a ValueError naming the choices."""
    if lang not in LANGUAGES:
        raise ValueError(f"unsupported language {lang!r}: choose one of {', '.join(LANGUAGES)}")
    return lang


def label(key: str, lang: str, **values: object) -> str:
    """The text of `key` in `lang`, with `{placeholders}` filled from `values`."""
    check_language(lang)
    try:
        text = LABELS[key][lang]
    except KeyError:
        raise KeyError(f"no label {key!r} in language {lang!r}") from None
    return text.format(**values) if values else text


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
