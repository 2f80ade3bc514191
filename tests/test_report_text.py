import datetime as dt

import pandas as pd

from helpers.data import load_events, load_sources
from helpers.report import as_of_note, effective_as_of, events_summary, source_note


def test_as_of_defaults_to_the_newest_event(data_dir):
    events = load_events(None, data_dir)
    assert effective_as_of(None, events) == dt.date(2024, 12, 24)
    assert effective_as_of(dt.date(2020, 1, 1), events) == dt.date(2020, 1, 1)


def test_generated_sentences_follow_the_language(data_dir):
    events = load_events(None, data_dir)
    day = dt.date(2024, 12, 24)
    assert events_summary(events, day, "fr") == (
        "3 événements datés par l'article jusqu'au 24 décembre 2024."
    )
    assert (
        events_summary(events, day, "en")
        == "3 events dated by the article up to December 24, 2024."
    )
    assert as_of_note(day, "en") == "*Data as of December 24, 2024*"


def test_source_note_escapes_text_from_data(data_dir):
    note = source_note(pd.Series(["s"]), load_sources(data_dir), "fr")
    assert "<script>" not in note and "&lt;script&gt;" in note
    assert "Pub &lt;b&gt;" in note
    assert note.startswith("<small>Source : ")
