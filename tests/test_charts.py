"""Chart functions on small fixtures: marks, labels in the language, uncertainty drawn honestly."""

import itertools

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.text import Annotation

from helpers.charts import (
    RELATION_GROUPS,
    amount_rows,
    legal_figure_height,
    number_steps,
    numbers_fit,
    plot_amounts,
    plot_legal_timeline,
    plot_overall_timeline,
    plot_positions,
    plot_relations,
    spread_busiest,
    stack_in_lanes,
)
from helpers.data import load_fact_base
from helpers.style import use_house_style


@pytest.fixture
def axes():
    use_house_style()
    figure, ax = plt.subplots(figsize=(6.7, 4))
    yield ax
    plt.close(figure)


@pytest.fixture(scope="module")
def facts():
    return load_fact_base()


def small_amounts() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "amount_id": ["round", "claim", "open", "ceiling", "range"],
            "date": pd.to_datetime(["2024-10-02", "2024-08-05", None, "2026-05-01", "2025-01-01"]),
            "date_precision": ["day", "day", "unknown", "month", "day"],
            "purpose": [
                "funding round",
                "donation",
                "cost estimate",
                "damages sought",
                "valuation",
            ],
            "low_usd": [6.6e9, 44e6, 100e9, 134e9, 40e9],
            "high_usd": [None, None, None, None, 50e9],
            "qualifier": ["exact", "exact", "more than", "up to", "exact"],
            "label_en": ["Round", "Gift", "Cost", "Damages", "Value"],
            "label_fr": ["Levée", "Don", "Coût", "Dommages", "Valeur"],
            "assertion": ["fact", "claim", "claim", "claim", "fact"],
            "source_id": ["s"] * 5,
        }
    )


def markers(ax) -> list:
    return [line for line in ax.lines if line.get_marker() not in (None, "None", "")]


def arrows(ax) -> list:
    return [
        child for child in ax.get_children() if isinstance(child, Annotation) and child.arrow_patch
    ]


@pytest.mark.parametrize(
    ("lang", "first", "value"),
    [("fr", "Levée", "6,6\u00a0milliards de dollars"), ("en", "Round", "$6.6 billion")],
)
def test_amounts_chart_draws_each_amount_in_the_language(axes, lang, first, value):
    returned = plot_amounts(axes, small_amounts(), lang)
    assert returned is axes
    assert len(markers(axes)) == 5
    labels = [tick.get_text() for tick in axes.get_yticklabels()]
    assert first in labels
    assert value in [text.get_text() for text in axes.texts]
    assert axes.get_xscale() == "log"


def test_open_ended_amounts_are_arrows_not_points(axes):
    plot_amounts(axes, small_amounts(), "en")
    drawn = arrows(axes)
    assert len(drawn) == 2  # "more than" and "up to"
    directions = sorted("right" if arrow.xy[0] > arrow.xyann[0] else "left" for arrow in drawn)
    assert directions == ["left", "right"]
    texts = [text.get_text() for text in axes.texts]
    assert "more than $100 billion" in texts and "up to $134 billion" in texts
    assert "$40 billion to $50 billion" in texts  # a stated range reads as a range


def test_claims_are_hollow_and_facts_filled(axes):
    plot_amounts(axes, small_amounts(), "en")
    faces = [line.get_markerfacecolor() for line in markers(axes)]
    assert faces.count("white") == 3  # the three claims


def test_amounts_are_grouped_by_purpose(facts):
    purposes = list(dict.fromkeys(amount_rows(facts["amounts"])["purpose"].astype(str)))
    assert purposes[:2] == ["funding round", "investment"]


def test_legal_timeline_numbers_every_step_without_overlap(axes, facts):
    steps = number_steps(facts["legal_actions"])
    axes.figure.set_size_inches(6.7, legal_figure_height(steps))
    plot_legal_timeline(axes, steps, facts["cases"], "en")
    numbers = [text for text in axes.texts if text.get_text().isdigit()]
    assert sorted(int(text.get_text()) for text in numbers) == list(range(1, len(steps) + 1))
    assert sum(len(line.get_xdata()) for line in markers(axes)) == len(steps)
    assert not overlapping(axes, numbers)
    assert {tick.get_text().replace("\n", " ") for tick in axes.get_yticklabels()} >= {
        "Musk v. Altman (federal court)"
    }


@pytest.mark.parametrize("factor", [2, 4, 10])
def test_legal_timeline_stays_legible_as_steps_multiply(facts, factor):
    use_house_style()
    steps = facts["legal_actions"]
    many = pd.concat(
        [
            steps.assign(
                action_id=steps["action_id"] + f"-{k}",
                date=steps["date"] + pd.Timedelta(days=3 * k),
            )
            for k in range(factor)
        ]
    )
    numbered = number_steps(many)
    height = legal_figure_height(numbered)
    assert height <= 9.0  # one A4 page at full size: labels stay at 7 pt
    figure, ax = plt.subplots(figsize=(6.7, height))
    plot_legal_timeline(ax, numbered, facts["cases"], "fr")
    numbers = [text for text in ax.texts if text.get_text().isdigit()]
    assert sum(len(line.get_xdata()) for line in markers(ax)) == len(many)
    if numbers_fit(numbered):
        assert len(numbers) == len(many)
        assert not overlapping(ax, numbers)
    else:
        assert numbers == []  # too dense to number: the table lists the steps instead
    plt.close(figure)


def overlapping(ax, texts) -> bool:
    renderer = ax.figure.canvas.get_renderer()
    boxes = [text.get_window_extent(renderer) for text in texts]
    return any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])


def test_stacking_keeps_a_minimum_gap_in_each_lane():
    dates = pd.Series(pd.to_datetime(["2024-01-01", "2024-01-02", "2024-01-03", "2024-03-01"]))
    lanes = pd.Series([0, 0, 1, 0])
    assert list(stack_in_lanes(dates, lanes, min_gap_days=10)) == [0, 1, 0, 0]


def test_positions_show_unknown_as_unknown_and_name_who_attributes(axes, facts):
    positions = facts["positions"][facts["positions"]["actor_id"] == "musk"]
    plot_positions(axes, positions, facts["actors"], facts["topics"], "en")
    rows = [tick.get_text().replace("\n", " ") for tick in axes.get_yticklabels()]
    assert rows[0] == "Elon Musk"
    assert "Elon Musk, per Sam Altman" in rows
    cells = [text.get_text() for text in axes.texts]
    assert "?" in cells and "−2" in cells and "+1" in cells
    assert "0" not in cells  # no position is mixed here: an unknown is never drawn as 0


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_position_columns_are_named_without_touching(axes, facts, lang):
    plot_positions(axes, facts["positions"], facts["actors"], facts["topics"], lang)
    axes.figure.canvas.draw()  # measured as laid out for the page
    boxes = [text.get_window_extent() for text in axes.get_xticklabels()]
    assert len(boxes) == len(facts["topics"])
    two_points = 2 * axes.figure.dpi / 72  # a visible space between neighbouring names
    assert all(a.x1 + two_points <= b.x0 for a, b in itertools.pairwise(boxes))
    assert min(text.get_fontsize() for text in axes.get_xticklabels()) >= 5.5


def test_positions_in_french(axes, facts):
    plot_positions(axes, facts["positions"], facts["actors"], facts["topics"], "fr")
    rows = [tick.get_text().replace("\n", " ") for tick in axes.get_yticklabels()]
    assert "Elon Musk, selon Sam Altman" in rows
    assert axes.get_title(loc="left") == "Qui défend quoi"


def test_overall_timeline_marks_every_fact_over_its_phases(axes, facts):
    from helpers.context import phases_with_dates

    events = facts["events"][facts["events"]["date"].notna()]
    steps = facts["legal_actions"]
    phases = phases_with_dates(facts)
    plot_overall_timeline(axes, events, steps, phases, "fr", pd.Timestamp("2026-06-15"))
    ticks = sum(len(line.get_xdata()) for line in axes.lines if line.get_marker() == "|")
    spans = [line for line in axes.lines if line.get_linewidth() == 5]
    imprecise = events[events["date_precision"] != "day"]
    assert ticks == len(events) - len(imprecise) + len(steps)  # a tick for each known day
    assert len(spans) == len(imprecise) > 0  # a month or a year: drawn over the whole period
    drawn = sorted(tuple(pd.Timestamp(x) for x in span.get_xdata()) for span in spans)
    assert [start for start, _ in drawn] == sorted(imprecise["date"])
    assert all(end > start + pd.Timedelta(days=27) for start, end in drawn)
    assert [t.get_text() for t in axes.texts if t.get_text().isdigit() and len(t.get_text()) == 1][
        :5
    ] == ["1", "2", "3", "4", "5"]
    assert "Tribunaux" in [tick.get_text() for tick in axes.get_yticklabels()]


def test_relations_draw_one_arrow_per_kind_of_tie_with_names_in_the_language(axes, facts):
    ties = facts["relations"]
    plot_relations(axes, pd.concat([ties, ties]), facts["actors"], "fr")  # each tie twice
    kinds = ties.assign(group=ties["relation"].astype(str).map(RELATION_GROUPS))
    assert len(arrows(axes)) == len(kinds.drop_duplicates(["from_actor", "to_actor", "group"]))
    names = [text.get_text().replace("\n", " ") for text in axes.texts]
    assert "Groupe d'investisseurs mené par Elon Musk" in names


def test_busiest_actors_are_spread_around_the_circle():
    order = spread_busiest(["a", "b", "c", "d", "e", "f"])
    assert [order.index(x) for x in "abc"] == [0, 2, 4]


def test_house_style_is_applied():
    use_house_style()
    assert matplotlib.rcParams["axes.spines.top"] is False
    assert min(matplotlib.rcParams["xtick.labelsize"], matplotlib.rcParams["ytick.labelsize"]) >= 7
    assert matplotlib.rcParams["text.parse_math"] is False  # '$' in data never turns into math
