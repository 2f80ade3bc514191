"""Report editions (as_of, article only, focus) and the prose generated from the data."""

import dataclasses
import datetime as dt
import re

import pandas as pd
import pytest

from helpers import sections
from helpers.context import article_only, cited_sources, focus_on, prepare_report
from helpers.params import check_parameters


@pytest.fixture(scope="module")
def editions():
    return {lang: prepare_report(check_parameters(lang=lang)) for lang in ("fr", "en")}


def test_default_edition_runs_to_the_newest_fact(editions):
    assert editions["en"].as_of == dt.date(2026, 6, 15)


def test_as_of_shows_the_world_of_the_article():
    ctx = prepare_report(check_parameters(lang="en", as_of="2024-12-31"))
    dated = pd.concat([ctx.facts["events"]["date"], ctx.facts["legal_actions"]["date"]]).dropna()
    assert dated.max() <= pd.Timestamp("2024-12-31")
    assert "verdict" not in set(ctx.facts["legal_actions"]["step"])
    assert "Data as of December 31, 2024" in sections.opening(ctx)


def test_article_only_edition_keeps_the_article_alone(editions):
    facts = article_only(editions["en"].record)
    assert set(cited_sources(facts).index) == {"abmedia-altman-interview"}
    assert facts["legal_actions"].empty
    kept = set(facts["conflicts"]["version_a"])
    assert kept and all(ref.split(":")[1].startswith("article-") for ref in kept)


def test_focus_keeps_the_facts_involving_the_actors(editions):
    facts = focus_on(editions["en"].record, ("meta",))
    assert set(facts["positions"]["actor_id"]) == {"meta"}
    assert set(facts["legal_actions"]["case_id"]) == {"openai-conversion-review"}
    assert all("meta" in actors for actors in facts["events"]["actors"])


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "fr",
            [
                "Ce rapport suit",
                "de 2015 au 15 juin 2026",
                "OpenAI a été lancée le 11 décembre 2015",
            ],
        ),
        (
            "en",
            [
                "This report follows",
                "from 2015 to June 15, 2026",
                "OpenAI launched on December 11, 2015",
            ],
        ),
    ],
)
def test_summary_is_written_from_the_data_in_the_language(editions, lang, expected):
    text = sections.summary(editions[lang])
    for words in expected:
        assert words in text


def test_disputed_claims_show_both_versions_with_their_words(editions):
    text = sections.disputes(editions["en"])
    assert text.count('<div class="conflict">') == len(editions["en"].facts["conflicts"])
    assert "Did Meta sue?" in text
    assert '<q lang="fr">Meta a engagé des poursuites judiciaires' in text
    assert '<q lang="en">In a letter to Attorney General Rob Bonta dated Thursday</q>' in text


def test_citations_link_to_the_numbered_source_list(editions):
    ctx = editions["fr"]
    listed = set(re.findall(r'<li id="src-([a-z0-9-]+)">', sections.sources_list(ctx)))
    cited = set(re.findall(r'href="#src-([a-z0-9-]+)"', sections.courts(ctx) + sections.money(ctx)))
    assert cited and cited <= listed


def test_every_figure_has_alt_text_caption_and_sources(editions):
    ctx = editions["fr"]
    for html in (sections.timeline(ctx), sections.money(ctx), sections.courts(ctx),
                 sections.positions(ctx), sections.relations(ctx)):  # fmt: skip
        assert re.search(r'<img src="data:image/png;base64,[^"]+" alt="[^"]{40,}" />', html)
        assert re.search(r"<figcaption><strong>Figure \d\.</strong> .+Sources? :", html)


def test_text_from_data_is_escaped(editions):
    ctx = editions["en"]
    events = ctx.facts["events"].copy()
    events.loc[events["event_id"] == "openai-founded", "title_en"] = "<script>alert(1)</script>"
    conflicts = ctx.facts["conflicts"].copy()
    conflicts["title_en"] = '<img src=x onerror="alert(2)">'
    hostile = dataclasses.replace(
        ctx, facts={**ctx.facts, "events": events, "conflicts": conflicts}
    )
    html = sections.disputes(hostile) + sections.summary(hostile)
    assert "<img src=x" not in html and "&lt;img src=x onerror=&quot;alert(2)&quot;&gt;" in html
    record = {**ctx.record, "events": events}
    html = sections.disputes(dataclasses.replace(hostile, record=record))
    assert "<script>" not in html


def test_the_article_is_unknown_before_its_own_dates():
    ctx = prepare_report(check_parameters(lang="en", as_of="2024-06-30"))
    assert "article-meta-sues" not in set(
        ctx.facts["events"]["event_id"]
    )  # undated, from the article
    assert "musk-state-complaint" in set(ctx.facts["legal_actions"]["action_id"])


def test_an_empty_edition_says_so():
    ctx = prepare_report(check_parameters(lang="fr", as_of="2010-01-01"))
    assert "Aucune donnée ne correspond" in sections.money(ctx)
    assert "Aucune donnée ne correspond" in sections.courts(ctx)
