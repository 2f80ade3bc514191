"""The preview's figure cache: a chart is looked up by the content it draws, never stale."""

import pytest

from helpers import paths
from helpers.report import FigureSpec, open_edition
from helpers.report.figure_key import Unkeyable, figure_key
from helpers.report.render import svg_markup


def keys(edition) -> dict[str, str]:
    return {
        s.key: figure_key(s.chart.draw, s.chart.size, s.key, s.lang)
        for s in edition.sections
        if s.chart is not None
    }


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_chart_of_the_report_has_a_key_that_an_equal_edition_repeats(lang):
    first, again = keys(open_edition(lang=lang)), keys(open_edition(lang=lang))
    assert set(first) == {"timeline", "money", "courts", "positions", "relations"}
    assert first == again


def test_the_language_and_the_data_a_chart_draws_change_its_key(data_dir):
    english = keys(open_edition(data_dir, lang="en"))
    assert not set(english.values()) & set(keys(open_edition(data_dir, lang="fr")).values())
    amounts = data_dir / "amounts.csv"
    text = amounts.read_text(encoding="utf-8")
    # Microsoft's 2023 investment: $10 billion becomes $11 billion
    amounts.write_text(text.replace(",10000000000,,about,", ",11000000000,,about,", 1))
    edited = keys(open_edition(data_dir, lang="en"))
    assert edited["money"] != english["money"]
    assert edited["relations"] == english["relations"]  # the ties draw no amount


def test_a_cached_chart_is_the_chart_drawn(tmp_path, monkeypatch):
    section = open_edition(lang="en").section("money")
    drawn = svg_markup(section.chart, "money", "en")
    monkeypatch.setattr(paths, "FIGURE_CACHE_DIR", tmp_path / "figures")
    assert svg_markup(section.chart, "money", "en") == drawn  # drawn, then kept
    (kept,) = (tmp_path / "figures").glob("*.svg")
    assert kept.read_text(encoding="utf-8") == drawn
    assert svg_markup(section.chart, "money", "en") == drawn  # read back


def test_a_chart_closing_over_an_unknown_object_is_drawn_not_cached(tmp_path, monkeypatch):
    class Opaque:
        size = 3.0

    opaque = Opaque()
    spec = FigureSpec(
        draw=lambda ax: ax.plot([0, opaque.size]) and ax, size=(3, 2), caption="", alt=""
    )
    with pytest.raises(Unkeyable):
        figure_key(spec.draw, spec.size, "opaque", "en")
    monkeypatch.setattr(paths, "FIGURE_CACHE_DIR", tmp_path / "figures")
    assert "<svg" in svg_markup(spec, "opaque", "en")
    assert list((tmp_path / "figures").glob("*.svg")) == []
