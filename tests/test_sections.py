"""Report editions (as_of, article only, focus) and the sections written from their facts."""

import dataclasses
import datetime as dt
import re

import pandas as pd
import pytest

from helpers.context import article_only, cited_sources, focus_on, prepare_report
from helpers.params import check_parameters
from helpers.report import open_edition
from helpers.report.prose import Cite, plain
from helpers.report.sections import disputes, relations, summary


@pytest.fixture(scope="module")
def editions():
    return {lang: open_edition(lang=lang) for lang in ("fr", "en")}


def test_default_edition_runs_to_the_newest_fact(editions):
    assert editions["en"].as_of == dt.date(2026, 6, 15)


def test_as_of_shows_the_world_of_the_article():
    edition = open_edition(lang="en", as_of="2024-12-31")
    facts = edition.context.facts
    dated = pd.concat([facts["events"]["date"], facts["legal_actions"]["date"]]).dropna()
    assert dated.max() <= pd.Timestamp("2024-12-31")
    assert "verdict" not in set(facts["legal_actions"]["step"])
    assert "Data as of December 31, 2024" in edition._repr_html_()


def test_article_only_edition_keeps_the_article_alone(editions):
    facts = article_only(editions["en"].context.record)
    assert set(cited_sources(facts).index) == {"abmedia-altman-interview"}
    assert facts["legal_actions"].empty
    kept = set(facts["conflicts"]["version_a"])
    shown = {f"{name}:{key}" for name, key in (("events", "event_id"), ("amounts", "amount_id"),
             ("positions", "position_id")) for key in facts[name][key]}  # fmt: skip
    assert kept and kept <= shown  # every disagreement kept starts from the article's words


def test_focus_keeps_the_facts_involving_the_actors(editions):
    facts = focus_on(editions["en"].context.record, ("meta",))
    assert set(facts["positions"]["actor_id"]) == {"meta"}
    assert set(facts["legal_actions"]["case_id"]) == {"openai-conversion-review"}
    assert all("meta" in actors for actors in facts["events"]["actors"])


@pytest.mark.parametrize(
    ("lang", "news", "scope"),
    [
        (
            "fr",
            ["18 mai 2026 — Un jury", "L\u2019enjeu", "852\u00a0milliards", "Encore ouvert"],
            ["Ce rapport suit", "de 2015 au 15 juin 2026"],
        ),
        (
            "en",
            ["May 18, 2026 — A unanimous advisory jury", "At stake", "$852 billion", "Still open"],
            ["This report follows", "from 2015 to June 15, 2026"],
        ),
    ],
)
def test_in_brief_gives_the_news_first_each_sentence_cited(editions, lang, news, scope):
    items = editions[lang].section("summary").items
    assert 4 <= len(items) <= 6
    text = " ".join(plain(item) for item in items)
    for words in news:
        assert words in text
    assert text.index(news[0]) < text.index(news[1])  # the latest decisive step comes first
    assert all(any(isinstance(part, Cite) for part in item) for item in items)  # all sourced
    method = " ".join(plain(p) for p in editions[lang].section("method").paragraphs)
    for words in scope:  # counting the data is method, not news
        assert words in method and words not in text


def test_disputed_claims_show_both_versions_with_their_words(editions):
    html = editions["en"].section("disputes").html
    assert html.count('<div class="conflict">') == len(editions["en"].context.facts["conflicts"])
    assert "Did Meta sue?" in html
    assert '<q lang="fr">Meta a engagé des poursuites judiciaires' in html
    assert '<q lang="en">In a letter to Attorney General Rob Bonta dated Thursday</q>' in html


def test_citations_link_to_the_numbered_source_list(editions):
    edition = editions["fr"]
    listed = set(re.findall(r'<li id="src-([a-z0-9-]+)">', edition.section("sources").html))
    linked = edition.section("courts").html + edition.section("money").html
    cited = set(re.findall(r'href="#src-([a-z0-9-]+)"', linked))
    assert cited and cited <= listed


def test_every_figure_has_alt_text_caption_and_sources(editions):
    edition = editions["fr"]
    charted = [section for section in edition.sections if section.chart]
    assert [section.key for section in charted] == [
        "timeline",
        "money",
        "courts",
        "positions",
        "relations",
    ]
    for section in charted:
        assert re.search(r'<div class="chart" role="img" aria-label="[^"]{40,}"><svg', section.html)
        assert re.search(
            r"<figcaption><strong>Figure \d\.</strong> .+Sources?\u00a0:", section.html
        )


def test_figures_are_numbered_in_the_order_of_the_sections(editions):
    numbers = [section.number for section in editions["en"].sections if section.chart]
    assert numbers == list(range(1, len(numbers) + 1))
    page = editions["en"].page().html
    assert re.findall(r'id="figure-(\d+)"', page) == [str(n) for n in numbers]
    toc = re.search(r'<nav class="toc".*?</nav>', page, re.DOTALL).group(0)
    headed = [section.key for section in editions["en"].sections if section.heading]
    assert re.findall(r'href="#([a-z-]+)"', toc) == headed
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids))  # every anchor once


def test_text_from_data_is_escaped(editions):
    ctx = editions["en"].context
    events = ctx.facts["events"].copy()
    events.loc[events["event_id"] == "openai-founded", "title_en"] = "<script>alert(1)</script>"
    conflicts = ctx.facts["conflicts"].copy()
    conflicts["title_en"] = '<img src=x onerror="alert(2)">'
    hostile = dataclasses.replace(
        ctx, facts={**ctx.facts, "events": events, "conflicts": conflicts}
    )
    html = disputes.build(hostile).html + summary.build(hostile).html
    assert "<img src=x" not in html and "&lt;img src=x onerror=&#34;alert(2)&#34;&gt;" in html
    record = {**ctx.record, "events": events}
    html = disputes.build(dataclasses.replace(hostile, record=record)).html
    assert "<script>" not in html


def test_a_section_is_built_from_small_frames_without_a_kernel(editions):
    ctx = editions["en"].context
    small = {**ctx.facts, "relations": ctx.facts["relations"].head(2)}
    section = relations.build(dataclasses.replace(ctx, facts=small))
    assert section.heading == "Ties" and len(section.table) == 2
    assert plain(section.paragraphs[0]).startswith("2 ties join")
    figure = section.figure()
    assert figure.get_suptitle() == "OpenAI is party to every one of the 2 ties drawn"
    assert figure.axes[0].get_title(loc="left").startswith("Who did what to whom, and when")


def test_the_article_is_unknown_before_its_own_dates():
    ctx = prepare_report(check_parameters(lang="en", as_of="2024-06-30"))
    assert "article-meta-sues" not in set(ctx.facts["events"]["event_id"])  # undated, article
    assert "musk-state-complaint" in set(ctx.facts["legal_actions"]["action_id"])


def test_an_empty_edition_says_so():
    edition = open_edition(lang="fr", as_of="2010-01-01")
    assert "Aucune donnée ne correspond" in edition.section("money").html
    assert "Aucune donnée ne correspond" in edition.section("courts").html


def test_disputed_gifts_name_each_source_of_a_figure_once(editions):
    """Grouped by who gives the figure: 'Elon Musk, X (date), Y (date) and Z (date); ...'."""
    text = next(
        plain(p)
        for p in editions["en"].section("money").paragraphs
        if "remains disputed" in plain(p)
    )
    assert text.count("Elon Musk,") == 1 and "according to" not in text
    assert text.count("(") >= 4  # every figure keeps its date
