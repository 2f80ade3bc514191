"""Dates, numbers and money as each language writes them; label tables complete in both."""

import datetime as dt
import json
import re
import string

import pytest

from helpers.charts import RELATION_GROUPS, STEP_GROUPS, TRACKS
from helpers.i18n import (
    LANGUAGES,
    NBSP,
    catalogue,
    code_label,
    format_amount,
    format_date,
    format_money,
    format_money_short,
    format_number,
    format_span,
    format_value,
    label,
)
from helpers.paths import DATA_DIR


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


@pytest.mark.parametrize(
    ("value", "fr", "en"),
    [
        (100e9, f"100{NBSP}milliards de dollars", "$100 billion"),
        (6.6e9, f"6,6{NBSP}milliards de dollars", "$6.6 billion"),
        (1e9, f"1{NBSP}milliard de dollars", "$1 billion"),
        (97.4e9, f"97,4{NBSP}milliards de dollars", "$97.4 billion"),
        (44e6, f"44{NBSP}millions de dollars", "$44 million"),
        (1.25e12, f"1{NBSP}250{NBSP}milliards de dollars", "$1.25 trillion"),
        (12_345, f"12{NBSP}345{NBSP}dollars", "$12,345"),
    ],
)
def test_money_is_written_as_each_language_writes_it(value, fr, en):
    assert format_money(value, "fr") == fr
    assert format_money(value, "en") == en


@pytest.mark.parametrize(
    ("low", "high", "qualifier", "fr", "en"),
    [
        (
            100e9,
            None,
            "more than",
            f"plus de 100{NBSP}milliards de dollars",
            "more than $100 billion",
        ),
        (2e9, None, "several", "plusieurs milliards de dollars", "several billion dollars"),
        (
            200e9,
            None,
            "several",
            "des centaines de milliards de dollars",
            "hundreds of billions of dollars",
        ),
        (45e6, None, "about", f"environ 45{NBSP}millions de dollars", "about $45 million"),
        (134e9, None, "up to", f"jusqu\u2019à 134{NBSP}milliards de dollars", "up to $134 billion"),
        (1e9, None, "at least", f"au moins 1{NBSP}milliard de dollars", "at least $1 billion"),
        (
            40e9,
            50e9,
            "exact",
            f"de 40{NBSP}milliards de dollars à 50{NBSP}milliards de dollars",
            "$40 billion to $50 billion",
        ),
    ],
)
def test_amounts_keep_their_uncertainty_in_words(low, high, qualifier, fr, en):
    assert format_amount(low, high, qualifier, "fr") == fr
    assert format_amount(low, high, qualifier, "en") == en


def test_numbers_spans_and_axis_money():
    assert format_number(1234.5, "fr", 1) == f"1{NBSP}234,5"
    assert format_number(1234.5, "en", 1) == "1,234.5"
    assert (
        format_span(dt.date(2015, 1, 1), "year", dt.date(2026, 6, 15), "day", "fr")
        == "de 2015 au 15 juin 2026"
    )
    assert format_span(dt.date(2015, 12, 11), "day", dt.date(2026, 6, 15), "day", "fr") == (
        "du 11 décembre 2015 au 15 juin 2026"
    )
    assert (
        format_span(dt.date(2015, 1, 1), "year", dt.date(2026, 6, 15), "day", "en")
        == "from 2015 to June 15, 2026"
    )
    assert format_money_short(10e9, "en") == "$10B"
    assert format_money_short(10e9, "fr") == f"10{NBSP}Md$"
    assert format_money_short(100e6, "fr") == f"100{NBSP}M$"


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_every_text_exists_in_every_language_with_the_same_placeholders():
    keys = {lang: set(catalogue(lang)) for lang in LANGUAGES}
    assert keys["fr"] == keys["en"], keys["fr"] ^ keys["en"]
    for key in keys["en"]:
        texts = {lang: catalogue(lang)[key] for lang in LANGUAGES}
        assert all(text.strip() for text in texts.values()), key
        assert placeholders(texts["fr"]) == placeholders(texts["en"]), key


def test_small_counts_are_spelled_out_and_their_nouns_agree():
    """Newsroom style: one to nine in words (French 'une' before a feminine noun), 10 and over
    in digits with the language's separators; the noun agrees with the count."""
    assert label("positions.topics_many", "en", n=6) == "six questions"
    assert label("positions.topics_one", "fr", n=1) == "une question"
    assert label("positions.topics_many", "fr", n=12) == "12 questions"
    assert label("courts.lawsuits_many", "fr", n=4) == "de quatre procès"
    assert label("timeline.busiest", "en", year=2024, count=1) == (
        "The busiest year is 2024, with one dated fact."
    )
    assert label("timeline.busiest", "fr", year=2024, count=9) == (
        "L\u2019année la plus chargée est 2024, avec neuf faits datés."
    )
    assert label("courts.overview", "en", steps=1, cases=1, last="June 15, 2026") == (
        "The data holds one legal step in one case; the latest is dated June 15, 2026."
    )
    assert label("courts.overview", "fr", steps=1, cases=2, last="15 juin 2026") == (
        "Les données comptent une étape judiciaire dans deux affaires\u202f; la plus récente"
        " date du 15 juin 2026."
    )
    assert format_value(10, "words", "en") == "10"
    assert format_value(1234, "words", "fr") == f"1{NBSP}234"
    assert format_value(0, "étape|étapes", "fr") == "étape"
    assert format_value(0, "step|steps", "en") == "steps"
    assert format_value(3.5, ".1f", "en") == "3.5"  # any other spec is Python's
    with pytest.raises(TypeError, match="integer"):
        label("positions.topics_many", "en", n="6")  # a count already written cannot be spelled


def count_specs(text: str) -> dict[str, set[str]]:
    specs: dict[str, set[str]] = {}
    for _, name, spec, _ in string.Formatter().parse(text):
        if name:
            specs.setdefault(name, set()).add(spec)
    return specs


def test_both_catalogues_spell_the_same_counts():
    """A count spelled in one language is spelled in the other; every spec is one of the
    catalogue's ('words', 'words-f' in French, 'singular|plural') or none."""
    for key in catalogue("en"):
        specs = {lang: count_specs(catalogue(lang)[key]) for lang in LANGUAGES}
        for lang, found in specs.items():
            for spec in set().union(*found.values()):
                allowed = spec in ("", "words") or spec.count("|") == 1
                assert allowed or (lang == "fr" and spec == "words-f"), (key, spec)
        spelled = {
            lang: {
                name
                for name, s in found.items()
                if s & {"words", "words-f"} or any("#" in spec for spec in s)
            }
            for lang, found in specs.items()
        }
        assert spelled["fr"] == spelled["en"], key


def test_a_count_of_one_changes_the_words_around_it():
    """'Les un montants tracés' was printed for an edition with one amount: where the article
    and the noun change with the count, the catalogue writes both forms, the count at #."""
    assert format_value(1, "Le lien|Les # liens", "fr") == "Le lien"
    assert format_value(3, "Le lien|Les # liens", "fr") == "Les trois liens"
    assert format_value(12, "Le lien|Les # liens", "fr") == "Les 12 liens"
    for lang in LANGUAGES:
        for key in ("timeline.caption", "money.caption", "courts.caption", "relations.caption"):
            counts = {"events": 1, "steps": 1, "phases": 1, "count": 1, "ties": 1, "actors": 2}
            text = label(key, lang, span="", what="", **counts)
            assert not re.search(r"\b(les|des) (un|une)\b|\bthe one \w+s\b", text, re.I), text


def test_every_section_has_a_heading_in_every_language():
    from helpers.report.sections import section_keys

    for key in section_keys():
        for lang in LANGUAGES:
            assert catalogue(lang)[f"{key}.heading"].strip(), (key, lang)


def test_every_code_of_the_data_and_the_charts_has_a_label_in_every_language():
    package = json.loads((DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    enums = {
        (resource["name"], field["name"]): field["constraints"]["enum"]
        for resource in package["resources"]
        for field in resource["schema"]["fields"]
        if "enum" in field.get("constraints", {})
    }
    needed = {
        "purpose": enums[("amounts", "purpose")],
        "step": enums[("legal_actions", "step")],
        "verification": enums[("events", "verification")],
        "assessment": enums[("conflicts", "assessment")],
        "conflict_kind": enums[("conflicts", "kind")],
        "step_group": set(STEP_GROUPS.values()),
        "track": TRACKS,
        "relation_group": set(RELATION_GROUPS.values()),
    }
    for field, codes in needed.items():
        for code in codes:
            for lang in LANGUAGES:
                assert code_label(field, code, lang).strip(), (field, code, lang)
    assert set(STEP_GROUPS) == set(enums[("legal_actions", "step")])
    assert set(RELATION_GROUPS) == set(enums[("relations", "relation")])
    assert {key.split(".")[1] for key in catalogue("en") if key.startswith("codes.")} >= set(needed)


def test_an_unsupported_language_is_named_in_the_error():
    with pytest.raises(ValueError, match=r"'de'.*fr, en"):
        label("page.title", "de")
    with pytest.raises(ValueError, match="precision 'week'"):
        format_date(dt.date(2024, 1, 1), "en", "week")
