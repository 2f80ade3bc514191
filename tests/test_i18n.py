import datetime as dt

import pytest

from helpers.i18n import LABELS, LANGUAGES, format_date, label


@pytest.mark.parametrize(
    ("date", "lang", "precision", "expected"),
    [
        (dt.date(2024, 12, 24), "fr", "day", "24 décembre 2024"),
        (dt.date(2024, 12, 24), "en", "day", "December 24, 2024"),
        (dt.date(2024, 3, 1), "fr", "day", "1er mars 2024"),
        (dt.date(2024, 3, 1), "en", "day", "March 1, 2024"),
        (dt.date(2018, 2, 1), "fr", "month", "février 2018"),
        (dt.date(2018, 2, 1), "en", "month", "February 2018"),
        (dt.date(2015, 1, 1), "fr", "year", "2015"),
    ],
)
def test_dates_are_written_as_each_language_writes_them(date, lang, precision, expected):
    assert format_date(date, lang, precision) == expected


def test_every_label_exists_in_every_language():
    missing = [
        (key, lang) for key, texts in LABELS.items() for lang in LANGUAGES if lang not in texts
    ]
    assert missing == []
    assert all(text.strip() for texts in LABELS.values() for text in texts.values())


def test_label_fills_placeholders():
    assert (
        label("data_as_of", "fr", date="24 décembre 2024") == "Données arrêtées au 24 décembre 2024"
    )


def test_an_unsupported_language_is_named_in_the_error():
    with pytest.raises(ValueError, match=r"'de'.*fr, en"):
        label("report_title", "de")
    with pytest.raises(ValueError, match="precision 'week'"):
        format_date(dt.date(2024, 1, 1), "en", "week")
