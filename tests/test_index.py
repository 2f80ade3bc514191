"""reports/index.html and the manifest behind it: what a card shows, read from the head of a
page whatever its size, and bookkeeping that stays small whatever the data."""

import json

from helpers.changes import MAX_IDS, bounded, compare
from helpers.index import card_of, index_html, read_card

HEAD = """<!DOCTYPE html>
<html lang="fr">
<head><meta charset="utf-8"/><title>La guerre de l\u2019IA\u00a0: Musk &amp; Altman</title></head>
<body><main class="report">
<header><h1>La guerre</h1>
<p class="standfirst">Un <em>rapport</em>
  sur <b>&lt;script&gt;</b>.</p>
<p class="as-of"><em>Données arrêtées au 15 juin 2026</em></p></header>
<section><p>Avant la figure.</p><div class="chart" aria-label="not in a figure"></div>
<figure class="report-figure" id="figure-1">
<div class="chart" role="group" aria-label="Frise de 2015 à 2026 &lt;b&gt;">"""


def test_a_card_holds_the_words_of_the_page_unescaped_once():
    card = card_of(HEAD + "<svg></svg></div></figure></section></main></body></html>")
    assert card == {
        "title": "La guerre de l\u2019IA\u00a0: Musk & Altman",
        "standfirst": "Un rapport sur <script>.",  # ASCII whitespace folded, tags dropped
        "as_of": "Données arrêtées au 15 juin 2026",
        "lang": "fr",
        "chart_label": "Frise de 2015 à 2026 <b>",  # the first chart inside a figure
    }


def test_a_page_without_a_chart_gives_a_card_without_one():
    card = card_of(HEAD.split("<figure")[0] + "</section></main></body></html>")
    assert card["chart_label"] == "" and card["title"].startswith("La guerre")


def test_a_card_is_read_from_the_head_of_the_page_and_never_from_its_charts(tmp_path):
    """A page of 1000x the facts is 16 MB, nearly all charts: the card is read before them. Past
    the first 256 KB of its chart, this page is not even UTF-8: reading that far would fail."""
    page = tmp_path / "report-fr.html"
    chart = b"<svg>" + b'<path d="M 0 0 L 1 1"/>' * 11_000  # 256 KB
    page.write_bytes(HEAD.encode("utf-8") + chart + b"\xff\xfe not text " * 2_000_000)
    assert read_card(page) == card_of(HEAD)
    assert read_card(page)["chart_label"] == "Frise de 2015 à 2026 <b>"


def test_the_manifest_counts_changed_facts_and_names_only_the_first():
    before = {"events": {}, "amounts": {}, "positions": {}}
    after = {
        "events": {f"event-{number:06d}": "a title" for number in range(200_000)},
        "amounts": {},
        "positions": {"p1": 1},
    }
    changes = bounded(compare(before, after))
    assert changes == {
        "new events": {"count": 200_000, "ids": [f"event-{n:06d}" for n in range(MAX_IDS)]},
        "new positions": {"count": 1, "ids": ["p1"]},
    }
    manifest = {
        "reports": {"report-en": {"status": "ok", "outputs": {}, "changes": changes}},
        "history": [],
    }
    assert len(json.dumps(manifest)) < 1_000
    page = index_html(manifest)
    first = ", ".join(f"event-{number:06d}" for number in range(MAX_IDS))
    assert f"new events: {first} and {200_000 - MAX_IDS} more" in page
    assert "new positions: p1</li>" in page


def test_the_card_shows_its_picture_by_file_and_never_an_older_inline_chart():
    entry = {
        "status": "ok",
        "outputs": {"html": {"file": "report-en.html", "sha256": "0" * 64, "bytes": 1}},
        "card": {
            "title": "The AI war",
            "lang": "en",
            "chart_label": "Timeline <from> 2015",
            "thumbnail": {"file": "report-en.thumb.png", "sha256": "abcdef0123456789" + "0" * 48,
                          "bytes": 50_000, "width": 696, "height": 767},
        },
    }  # fmt: skip
    page = index_html({"reports": {"report-en": entry}, "history": []})
    assert (
        '<img src="report-en.thumb.png?v=abcdef012345" alt="Timeline &lt;from&gt; 2015" '
        'width="696" height="767" loading="lazy" />'
    ) in page
    older = {**entry, "card": {**entry["card"], "thumbnail": "data:image/svg+xml;base64,PHN2Zz4="}}
    page = index_html({"reports": {"report-en": older}, "history": []})
    assert "data:image" not in page and "<img" not in page and "The AI war" in page
