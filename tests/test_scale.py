"""The report holds up when the fact base grows tenfold."""

import re

import pandas as pd
import pytest
from legibility import assert_legible
from strips import strip_counts

from helpers.charts import MAX_CHAIN_MARKS, TRACKS, timeline_facts
from helpers.context import prepare_report
from helpers.data import load_table
from helpers.i18n import code_label, format_number
from helpers.params import check_parameters
from helpers.report.prose import plain
from helpers.report.render import svg_markup
from helpers.report.sections import courts, money, positions, relations, timeline
from helpers.synthetic import scale_fact_base
from helpers.validate import validate


@pytest.fixture(scope="module")
def tenfold(tmp_path_factory):
    return scale_fact_base(10, tmp_path_factory.mktemp("facts") / "data")


def test_a_tenfold_fact_base_is_valid_and_ten_times_larger(tenfold):
    assert validate(tenfold) == []
    assert len(load_table("legal_actions", data_dir=tenfold)) == 10 * len(
        load_table("legal_actions")
    )


@pytest.fixture(scope="module")
def thousandfold(tmp_path_factory):
    return scale_fact_base(1000, tmp_path_factory.mktemp("facts") / "data")


def test_a_thousandfold_fact_base_is_valid_and_dated_no_later_than_the_real_one(thousandfold):
    """The benchmark's 1000x base: copies moved later would be dated in the future."""
    big = thousandfold
    assert validate(big) == []
    for table in ("events", "legal_actions"):
        real, scaled = load_table(table), load_table(table, data_dir=big)
        assert len(scaled) == 1000 * len(real)
        assert scaled["date"].astype(str).max() == real["date"].astype(str).max()


def test_tenfold_report_sections_stay_within_their_limits(tenfold):
    ctx = prepare_report(check_parameters(lang="en"), data_dir=tenfold)
    caption = money.build(ctx).chart.caption
    assert caption.startswith(f"The {money.MAX_AMOUNT_ROWS} amounts drawn, in dollars")
    rows = int(re.search(r"in (\d+) rows of actors", positions.build(ctx).chart.alt).group(1))
    assert rows <= positions.MAX_POSITION_ROWS
    steps = courts.build(ctx)
    assert len(steps.table) == courts.MAX_STEP_ROWS  # the latest steps
    assert f"most recent of {len(ctx.facts['legal_actions'])} steps" in plain(
        steps.extra["table_note"]
    )
    assert steps.html.count("<tr>") == courts.MAX_STEP_ROWS + 1  # and a header row
    for module in (money, positions, courts, timeline, relations):
        assert "<svg" in module.build(ctx).html


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_tenfold_money_chart_keeps_different_amounts_legible_on_one_page(tenfold, lang):
    ctx = prepare_report(check_parameters(lang=lang), data_dir=tenfold)
    section = money.build(ctx)
    total = len(ctx.facts["amounts"])
    drawn = int(re.search(r"\d+", section.chart.caption).group())
    assert money.MAX_AMOUNT_ROWS - 3 <= drawn <= money.MAX_AMOUNT_ROWS  # long labels may drop one
    assert f" {total - drawn} " in section.chart.caption  # it says what it left out
    assert section.chart.size[1] <= money.MAX_FIGURE_INCHES  # printed whole, text at 7 pt
    figure = section.figure()
    labels = [tick.get_text() for ax in figure.axes for tick in ax.get_yticklabels()]
    assert len(labels) == drawn
    assert len(set(labels)) > drawn * 0.8  # not ten copies of a few amounts
    assert_legible(figure)


def test_a_crowd_of_actors_keeps_the_ties_map_readable():
    """300 more actors, each tied to OpenAI: the map draws the busiest and says what it left."""
    import dataclasses

    ctx = prepare_report(check_parameters(lang="en"))
    ties, actors = ctx.facts["relations"], ctx.record["actors"]
    crowd = [f"extra-{n}" for n in range(300)]
    extra_actors = actors.head(1).loc[[actors.index[0]] * 300].assign(actor_id=crowd, name=crowd)
    extra_ties = (
        ties.head(1)
        .loc[[ties.index[0]] * 300]
        .assign(relation_id=[f"tie-{n}" for n in range(300)], from_actor=crowd, to_actor="openai")
    )
    crowded = {**ctx.facts, "relations": pd.concat([ties, extra_ties])}
    record = {**ctx.record, "actors": pd.concat([actors, extra_actors])}
    section = relations.build(dataclasses.replace(ctx, facts=crowded, record=record))
    figure = section.figure()
    rows = [tick.get_text().replace("\n", " ") for tick in figure.axes[0].get_yticklabels()]
    names = {name for row in rows for name in row.split(" → ")}
    assert 0 < len(names) <= relations.MAX_ACTORS
    assert "Only the ties of the busiest of the" in section.chart.caption
    assert f"holds {len(ties) + 300} ties between" in plain(section.paragraphs[0])


def test_tenfold_ties_map_draws_a_row_per_tie_up_to_its_limit_and_says_the_rest(tenfold):
    """Ten times the ties between the same actors: the map keeps one readable page, not 250 rows."""
    ctx = prepare_report(check_parameters(lang="en"), data_dir=tenfold)
    section = relations.build(ctx)
    figure = section.figure()
    rows = [t for t in figure.axes[0].get_yticklabels() if t.get_text()]
    assert 0 < len(rows) <= relations.MAX_TIES
    left = len(ctx.facts["relations"]) - len(rows)
    assert f"{left} more ties are in the data" in section.chart.caption


MAX_SVG_BYTES = 150_000  # a chart's SVG, each layout, whatever the number of facts (issue 14)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_thousandfold_charts_stay_small_and_their_captions_say_what_is_counted(thousandfold, lang):
    """A thousand times the facts: the timeline's tracks and the legal lanes are drawn as strips
    of monthly counts, each chart's SVG stays small in both layouts, and each caption says in
    the edition's language which rows are counted and how many facts they hold."""
    ctx = prepare_report(check_parameters(lang=lang), data_dir=thousandfold)
    events = ctx.facts["events"][ctx.facts["events"]["date"].notna()]
    steps = ctx.facts["legal_actions"]
    for module in (timeline, courts, positions):
        chart = module.build(ctx).chart
        for spec, name in ((chart, module.__name__), (chart.narrowed(), "phone")):
            assert len(svg_markup(spec, name, lang).encode("utf-8")) <= MAX_SVG_BYTES, name
    words = {
        "en": ("Rows drawn as monthly counts: ", "Lanes drawn as monthly counts: ", "Their "),
        "fr": ("Lignes tracées en comptes mensuels\u00a0: ",
               "Couloirs tracés en comptes mensuels\u00a0: ", "Leurs "),
    }[lang]  # fmt: skip
    caption = timeline.build(ctx).chart.caption
    assert words[0] in caption
    assert all(code_label("track", track, lang) in caption for track in TRACKS)  # every row
    assert f"{words[2]}{format_number(len(events) + len(steps), lang)} " in caption
    caption = courts.build(ctx).chart.caption
    assert words[1] in caption
    assert f"{words[2]}{format_number(len(steps), lang)} " in caption
    assert str(MAX_CHAIN_MARKS) in positions.build(ctx).chart.caption.split(". ")[-1]


def test_thousandfold_strips_count_every_fact_they_stand_for(thousandfold):
    """The bars of the strips, read against their numbered tallest bar, add up to the facts of
    the crowded rows: on the legal chart every step, on the timeline every fact known to the day
    or the month (one known only to the year stays a pale bar over its year)."""
    ctx = prepare_report(check_parameters(lang="fr"), data_dir=thousandfold)
    steps = ctx.facts["legal_actions"]
    chart = courts.build(ctx).chart
    assert_legible(chart.narrowed().render("fr"))  # a lane without labels keeps its name clear
    figure = chart.render("fr")
    assert_legible(figure)
    ax = figure.axes[0]
    marks = [line for line in ax.lines if line.get_marker() not in (None, "None", "")]
    assert {line.get_gid() for line in marks} <= {"key-mark"}  # no lane draws a mark per step
    assert sum(strip_counts(ax)) == len(steps)
    section = timeline.build(ctx)
    facts = timeline_facts(ctx.facts["events"][ctx.facts["events"]["date"].notna()], steps)
    overview = section.figure().axes[0]
    assert sum(strip_counts(overview)) == (facts["precision"] != "year").sum()
