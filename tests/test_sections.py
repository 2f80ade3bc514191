"""Report editions (as_of, article only, focus) and the sections written from their facts."""

import calendar
import dataclasses
import datetime as dt
import re
from html import unescape

import pandas as pd
import pytest

from helpers.context import article_only, cited_sources, focus_on, prepare_report
from helpers.i18n import format_span
from helpers.params import check_parameters
from helpers.report import open_edition
from helpers.report.prose import Cite, Quote, plain
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
            ["Le 18 mai 2026, un jury", "L\u2019enjeu", "852\u00a0milliards", "Encore ouvert"],
            ["Ce rapport suit", "de 2015 au 15 juin 2026"],
        ),
        (
            "en",
            [
                "On May 18, 2026, a unanimous advisory jury",
                "At stake",
                "$852 billion",
                "Still open",
            ],
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
        assert re.search(
            r'<div class="chart" role="group" aria-label="[^"]{40,}"><svg', section.html
        )
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
    assert plain(section.paragraphs[0]).startswith("The data holds two ties")
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
    """Grouped by who gives the figure, each named once, the attribution varied: 'Elon Musk
    put it at X (date), Y (date) and Z (date); according to Elon Musk's lawyers, it was ...'."""
    text = next(
        plain(p)
        for p in editions["en"].section("money").paragraphs
        if "remains disputed" in plain(p)
    )
    assert text.count("Elon Musk put it at") == 1
    assert text.count("according to Elon Musk's lawyers") == 1
    assert text.count("(") >= 4  # every figure keeps its date


# --- Prose an editor would sign, checked on the built sections of both editions ---------------

SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
FRENCH_MONTHS = (
    "janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
)


def prose_of(section) -> list[str]:
    """Everything a section says in sentences: intro, paragraphs, list, caption, disputes."""
    texts = [section.intro, *map(plain, section.paragraphs), *map(plain, section.items)]
    if section.chart:
        texts.append(section.chart.caption)
    for conflict in section.extra.get("conflicts", []):
        texts += [conflict["title"], conflict["summary"], plain(conflict["reading"])]
        texts += [plain(words) for _, words in conflict["versions"]]
    return [text for text in texts if text]


def quotes_of(section) -> list:
    parts = [*section.paragraphs, *section.items]
    for conflict in section.extra.get("conflicts", []):
        parts += [words for _, words in conflict["versions"]]
    return [part for prose in parts for part in prose if isinstance(part, Quote)]


def visible_text(html: str) -> str:
    """The words a reader sees in a section, charts included (SVG text), without markup."""
    return unescape(re.sub(r"<[^>]+>", " ", re.sub(r"<style.*?</style>", " ", html, flags=re.S)))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_no_sentence_opens_on_a_numeral(editions, lang):
    opening = [
        (section.key, sentence)
        for section in editions[lang].sections
        for text in prose_of(section)
        for sentence in SENTENCE_END.split(re.sub(r"\s*\[\d+\]", "", text))  # no citation
        if re.match(r"[\W_]*\d", sentence)
    ]
    assert opening == []


# A count of one to nine written in digits in running text, unless a unit, a month (a date) or
# an amount follows it (amounts keep a no-break space: '3\u00a0milliards'), or it is part of a
# number, a scale (minus 2, '+2', 'rank 1, then 2'), a figure or a citation number
SMALL_COUNT_IN_DIGITS = re.compile(
    r"(?<![\w.,/\-\u2212+\u00a0\u202f$\[])[1-9](?![\w.,:/%\-\u00a0\u202f\]])\s+"
    rf"(?!(?:{FRENCH_MONTHS}|{'|'.join(calendar.month_name[1:])})\b)\w"
)


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize(
    "parameters",
    [{}, {"as_of": "2024-03-31"}, {"focus": "xai"}, {"include_public_record": False}],
    ids=["default", "as-of-2024-03", "focus-xai", "article-only"],
)
def test_small_counts_are_spelled_out_in_running_text(lang, parameters):
    """Newsroom style: 'four lawsuits', 'six questions', 'cinq phases', 'deux étapes', in the
    sentences, captions and alt texts of editions whose counts differ."""
    edition = open_edition(lang=lang, **parameters)
    found = [
        (section.key, text[max(0, m.start() - 30) : m.end() + 20])
        for section in edition.sections
        for text in [*prose_of(section), *([section.chart.alt] if section.chart else [])]
        for m in SMALL_COUNT_IN_DIGITS.finditer(text)
    ]
    assert found == []


def test_french_dates_say_du_au_and_1er(editions):
    page = visible_text(editions["fr"].page().html)
    date = rf"(?:1er|\d{{1,2}}) (?:{FRENCH_MONTHS}) \d{{4}}"
    assert not re.findall(rf"\bde {date} (?:à|au) {date}", page)  # 'du … au'
    assert not re.findall(rf"\bdu {date} à\b", page)
    assert not re.findall(rf"\b1 (?:{FRENCH_MONTHS})\b", page)  # '1er janvier'
    assert re.search(rf"\bdu {date} au {date}", page)  # the ranges it does write


@pytest.mark.parametrize(
    ("lang", "own", "other"), [("fr", "«»", "\u201c\u201d"), ("en", "\u201c\u201d", "«»")]
)
def test_running_text_quotes_with_the_editions_marks(editions, lang, own, other):
    """French running text quotes « like this », English words too; English running text quotes
    “like this”, French words too. The other marks are left to quotations (<q>, which nest
    them) and source titles (<cite>), in their own language."""
    page = editions[lang].page().html
    for element in ("style", "svg", "q", "cite"):
        page = re.sub(rf"<{element}\b.*?</{element}>", " ", page, flags=re.S)
    text = visible_text(page)
    assert re.findall(rf".{{0,40}}[{other}].{{0,40}}", text) == []
    assert text.count(own[0]) == text.count(own[1]) > 10


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_list_of_sources_puts_one_stop_after_each_part(editions, lang):
    """'Inc. Published ...', 'for-profit! Published ...': a publisher or title that ends with its
    own stop takes no second one."""
    html = editions[lang].section("sources").html
    entries = [visible_text(item).strip() for item in re.findall(r"<li id=.*?</li>", html, re.S)]
    assert len(entries) > 100
    assert [e for e in entries if re.search(r"[.!?]\.(?!\w)", e.split("http")[0])] == []
    assert any(e.startswith("Inc. ") for e in entries)  # the publisher whose name ends in '.'


def test_english_dates_read_month_day_year(editions):
    """The English edition writes 'December 4, 2024' everywhere, the data's own prose too; a
    quotation (<q>) keeps its words."""
    page = editions["en"].page().html
    for element in ("style", "svg", "q", "cite"):
        page = re.sub(rf"<{element}\b.*?</{element}>", " ", page, flags=re.S)
    months = "|".join(calendar.month_name[1:])
    text = visible_text(page)
    assert re.findall(rf".{{0,30}}\b\d{{1,2}} (?:{months})\b.{{0,10}}", text) == []
    assert re.search(rf"\b(?:{months}) \d{{1,2}}, \d{{4}}", text)


def test_first_of_the_month_and_day_ranges_in_french():
    assert format_span(dt.date(2024, 1, 1), "day", dt.date(2024, 3, 1), "day", "fr") == (
        "du 1er janvier 2024 au 1er mars 2024"
    )
    assert format_span(dt.date(2017, 1, 1), "year", dt.date(2018, 2, 20), "day", "fr") == (
        "de 2017 au 20 février 2018"
    )


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_quote_reads_in_the_editions_language_with_its_original(editions, lang):
    quotes = [q for section in editions[lang].sections for q in quotes_of(section)]
    foreign = [q for q in quotes if q.lang != lang]
    assert len(foreign) >= 10  # the article's French, the record's English
    assert all(q.translation and q.label for q in foreign), [q.text for q in foreign]
    assert not any(q.translation for q in quotes if q.lang == lang)
    html = editions[lang].section("disputes").html
    label = {"en": "our translation; original:", "fr": "notre traduction\u202f; original\u00a0:"}
    original = "fr" if lang == "en" else "en"
    assert f'<span class="original">({label[lang]} <q lang="{original}">' in html
    assert html.count('<span class="original">') == sum(
        1 for conflict in editions[lang].section("disputes").extra["conflicts"]
        for _, words in conflict["versions"] for part in words
        if isinstance(part, Quote) and part.translation
    )  # fmt: skip


@pytest.mark.parametrize(("lang", "outer"), [("en", '“”"'), ("fr", '«»"')])
def test_quotes_inside_quotes_take_the_inner_marks(editions, lang, outer):
    """The page draws the outer marks (CSS); inside, English nests single marks, French “ ”."""
    html = "".join(section.html for section in editions[lang].sections)
    inside = re.findall(r"<q[^>]*>(.*?)</q>", html, flags=re.S)
    assert inside
    assert [text for text in inside if any(mark in unescape(text) for mark in outer)] == []
    inner = {"en": "\u2018mega hero.\u2019", "fr": "\u201cméga-héros\u201d"}[lang]
    assert any(inner in unescape(text) for text in inside)


def test_attribution_is_varied_and_grouped_by_actor(editions):
    positions = editions["en"].section("positions")
    items = [plain(item) for item in positions.items]
    conversion = next(item for item in items if item.startswith("OpenAI's for-profit"))
    assert conversion.count("Elon Musk") == 1  # his own stance and what others say of it, once
    assert "according to Sam Altman and OpenAI" in conversion and "per ABMedia" in conversion
    for lang, undated in (("en", "(undated)"), ("fr", "(sans date)")):
        items = " ".join(plain(i) for i in editions[lang].section("positions").items)
        assert undated not in items


@pytest.mark.parametrize(("lang", "label"), [("en", "per the article"), ("fr", "selon l'article")])
def test_the_articles_figures_are_told_in_its_words_not_in_data_labels(editions, lang, label):
    money = " ".join(plain(p) for p in editions[lang].section("money").paragraphs)
    assert label not in money
    assert money.count("40 millions de dollars") == 1  # the quote, not a label before it


@pytest.mark.parametrize(
    ("lang", "heading", "words"),
    [
        ("en", "Cite this report", "English edition, data as of June 15, 2026"),
        ("fr", "Citer ce rapport", "Édition en français, données arrêtées au 15 juin 2026"),
    ],
)
def test_method_says_how_to_cite_the_edition_and_which_files_it_read(
    editions, lang, heading, words
):
    import hashlib

    from helpers.paths import DATA_DIR

    html = editions[lang].section("method").html
    assert f'<h3 id="cite">{heading}</h3>' in html
    citation = re.search(r'<p class="citation">(.*?)</p>', html).group(1)
    assert words in unescape(citation) and "http" not in citation
    listed = dict(
        re.findall(r"<code>data/([^<]+)</code><br /><span[^>]*>SHA-256 <code>(\w+)", html)
    )
    assert {"datapackage.json", "events.csv", "sources/abmedia_altman-interview_fr.txt"} <= set(
        listed
    )
    for name, digest in listed.items():  # the digest of the very bytes the edition read
        assert hashlib.sha256((DATA_DIR / name).read_bytes()).hexdigest() == digest
