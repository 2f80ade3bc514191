import datetime as dt

import pandas as pd

from helpers.report import (
    article_events,
    as_of_note,
    effective_as_of,
    events_summary,
    source_note,
)


def test_as_of_defaults_to_the_newest_fact():
    newest = dt.date(2026, 6, 15)
    assert effective_as_of(None, newest) == newest
    assert effective_as_of(dt.date(2020, 1, 1), newest) == dt.date(2020, 1, 1)


def test_generated_sentences_follow_the_language(small_events):
    day = dt.date(2024, 12, 24)
    assert events_summary(small_events, day, "fr") == (
        "3 événements datés par l'article jusqu'au 24 décembre 2024."
    )
    assert events_summary(small_events, day, "en") == (
        "3 events dated by the article up to December 24, 2024."
    )
    assert as_of_note(day, "en") == "*Data as of December 24, 2024*"


def test_article_events_leave_out_the_public_record(small_events, small_sources):
    sources = pd.concat(
        [small_sources, pd.DataFrame({"kind": ["news report"]}, index=pd.Index(["r"]))]
    )
    mixed = small_events.assign(source_id=["s", "r", "s"])
    assert list(article_events(mixed, sources)["event_id"]) == ["a", "c"]


def test_source_note_escapes_text_from_data(small_sources):
    note = source_note(pd.Series(["s"]), small_sources, "fr")
    assert "<script>" not in note and "&lt;script&gt;" in note
    assert "Pub &lt;b&gt;" in note
    assert note.startswith("<small>Source : ")
