"""Chart functions on small fixtures: marks, labels in the language, uncertainty drawn honestly."""

import itertools

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.text import Annotation, Text

from helpers.charts import (
    SPAN_WIDTH,
    amount_rows,
    legal_figure_height,
    number_steps,
    numbers_fit,
    plot_amounts,
    plot_legal_timeline,
    plot_overall_timeline,
    plot_positions,
    plot_relations,
    stack_in_lanes,
    tie_note,
    timeline_axes,
    timeline_facts,
    timeline_key_facts,
    timeline_title,
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


def draw_timeline(facts, lang, end="2026-06-15", zoomed=True, events=None):
    """The timeline as the report draws it: a figure of A4 text width, split for the zoom."""
    from helpers.context import phases_with_dates

    use_house_style()
    events = facts["events"][facts["events"]["date"].notna()] if events is None else events
    figure = plt.figure(figsize=(6.7, 7.4 if zoomed else 4.0))
    overview, zoom = timeline_axes(figure.subplots(), zoomed)
    plot_overall_timeline(
        overview, events, facts["legal_actions"], phases_with_dates(facts), lang,
        pd.Timestamp(end), zoom=zoom,
    )  # fmt: skip
    figure.canvas.draw()
    return figure


def key_labels(figure) -> list:
    return [
        a for ax in figure.axes for a in ax.texts if isinstance(a, Annotation) and a.arrow_patch
    ]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_timeline_names_every_phase_in_the_language(facts, lang):
    figure = draw_timeline(facts, lang)
    written = " ".join(
        text.get_text().replace("\n", " ").replace("\u00a0", " ")
        for ax in figure.axes
        for text in ax.texts
    )
    for name in facts["phases"][f"label_{lang}"]:
        assert name in written  # in its band, or in the key row when its band is too narrow
    other = "fr" if lang == "en" else "en"
    assert facts["phases"][f"label_{other}"].iloc[0] not in written
    plt.close(figure)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_timeline_labels_the_key_facts_with_their_dates(facts, lang):
    from helpers.i18n import format_date

    figure = draw_timeline(facts, lang)
    labels = key_labels(figure)
    assert 6 <= len(labels) <= 10
    events = facts["events"][facts["events"]["date"].notna()]
    decisive = timeline_facts(events, facts["legal_actions"])
    decisive = decisive[decisive["importance"] == 1]
    dates = {
        format_date(d.date(), lang, p)
        for d, p in zip(decisive["date"], decisive["precision"], strict=True)
    }
    for note in labels:
        first_line, title = note.get_text().split("\n", 1)
        assert first_line in dates  # a decisive fact, with its date as the data gives it
        assert title.strip()
    assert "Musk" in " ".join(note.get_text() for note in labels)
    plt.close(figure)


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("end", ["2026-06-15", "2024-12-31"])
def test_timeline_labels_never_touch_each_other_nor_the_phase_names(facts, lang, end):
    figure = draw_timeline(facts, lang, end=end)
    renderer = figure.canvas.get_renderer()
    for ax in figure.axes:
        labels = [a for a in key_labels(figure) if a.axes is ax]
        others = [t for t in ax.texts if t not in labels and t.get_text().strip()]
        boxes = [Text.get_window_extent(note, renderer) for note in labels]  # without leader
        assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])
        assert not any(box.overlaps(t.get_window_extent(renderer)) for box in boxes for t in others)
        frame = ax.get_window_extent(renderer)
        assert all(frame.x0 - 1 <= box.x0 and box.x1 <= frame.x1 + 1 for box in boxes)
        for note, own in zip(labels, boxes, strict=True):  # a leader line crosses no other label
            leader = note.arrow_patch.get_window_extent(renderer)
            assert leader.height > 0
            assert not any(leader.overlaps(box) for box in boxes if box is not own)
    sizes = [t.get_fontsize() for ax in figure.axes for t in ax.texts if t.get_text()]
    sizes += [t.get_fontsize() for ax in figure.axes for t in ax.get_yticklabels()]
    assert min(sizes) >= 7
    plt.close(figure)


def test_timeline_marks_every_fact_and_draws_imprecise_dates_as_spans(facts):
    events = facts["events"][facts["events"]["date"].notna()]
    steps = facts["legal_actions"]
    figure = draw_timeline(facts, "fr")
    overview, zoom = figure.axes
    ticks = sum(len(line.get_xdata()) for line in overview.lines if line.get_marker() == "|")
    spans = [line for line in overview.lines if line.get_linewidth() == SPAN_WIDTH]
    imprecise = events[events["date_precision"] != "day"]
    assert ticks == len(events) - len(imprecise) + len(steps)  # a tick for each known day
    assert len(spans) == len(imprecise) > 0  # a month or a year: drawn over the whole period
    drawn = sorted(tuple(pd.Timestamp(x) for x in span.get_xdata()) for span in spans)
    assert [start for start, _ in drawn] == sorted(imprecise["date"])
    assert all(end > start + pd.Timedelta(days=27) for start, end in drawn)
    assert "Tribunaux" in [tick.get_text() for tick in overview.get_yticklabels()]
    assert pd.Timestamp(mdates.num2date(zoom.get_xlim()[0]).date()) == pd.Timestamp("2024-01-01")
    plt.close(figure)


def test_timeline_title_is_computed_from_the_facts():
    dates = ["2010-01-01", "2011-01-01", "2012-01-01", "2018-01-01"]
    facts = timeline_facts(
        pd.DataFrame({"date": pd.to_datetime(dates), "date_precision": "day",
                      "kind": "founding", "importance": 1, "title_en": "x", "title_fr": "x"}),
        pd.DataFrame({"date": pd.to_datetime(["2016-01-01"]), "importance": 1,
                      "summary_en": "sued", "summary_fr": "assigne"}),
    )  # fmt: skip
    title = timeline_title(facts, pd.Timestamp("2020-01-01"), "en")
    assert (
        title == "40% of the dated facts fall in 4\u00a0years of legal fight,"
        " 60% in the 6\u00a0years before it"
    )
    assert timeline_title(facts, pd.Timestamp("2020-01-01"), "fr").startswith("40\u202f% des faits")
    assert timeline_title(facts.iloc[0:0], pd.Timestamp("2020-01-01"), "en") == "No dated fact yet"
    assert timeline_title(facts.iloc[:1], pd.Timestamp("2020-01-01"), "en").startswith("One dated")
    assert timeline_title(facts.iloc[:1], pd.Timestamp("2010-12-31"), "fr").startswith("Un seul")
    assert (
        timeline_title(
            facts.iloc[:2].assign(date=pd.Timestamp("2010-03-01")), pd.Timestamp("2010-12-31"), "en"
        )
        == "2 dated facts, all in 2010"
    )


def test_timeline_chooses_decisive_facts_first_then_major_ones(facts):
    events = facts["events"][facts["events"]["date"].notna()]
    chosen = timeline_key_facts(events, facts["legal_actions"], pd.Timestamp("2026-06-15"), True)
    assert set(chosen["importance"]) == {1}
    assert len(chosen) == 10 and chosen["date"].is_unique
    few = events[events["importance"] >= 2]  # no decisive fact: the major ones stand in
    chosen = timeline_key_facts(
        few, facts["legal_actions"].iloc[0:0], pd.Timestamp("2026-06-15"), False
    )
    assert len(chosen) == 3 and set(chosen["importance"]) == {2}


def draw_ties(ties, actors, lang):
    from helpers.charts import ties_height

    use_house_style()
    figure = plt.figure(figsize=(6.7, ties_height(ties)))
    ax = plot_relations(figure.subplots(), ties, actors, lang)
    figure.canvas.draw()
    return figure, ax


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_tie_is_drawn_and_labelled_with_its_kind_and_date(facts, lang):
    ties = facts["relations"]
    figure, ax = draw_ties(ties, facts["actors"], lang)
    dots = [line for line in ax.lines if line.get_marker() == "o"]
    assert len(dots) == len(ties)
    notes = [text.get_text() for text in ax.texts]
    for tie in ties.itertuples():
        assert tie_note(tie, lang) in notes
    rows = [tick.get_text().replace("\n", " ") for tick in ax.get_yticklabels()]
    assert len(rows) == len(ties)
    if lang == "fr":
        assert "a poursuivi, 29 février 2024" in notes
        assert "Groupe d'investisseurs mené par Elon Musk → OpenAI" in rows
        assert "a fait une offre sur, du 10 au 14 février 2025" in notes
    else:
        assert "sued, February 29, 2024" in notes and "Elon Musk → OpenAI" in rows
        assert "bid for, February 10–14, 2025" in notes
    undated = ties[ties["since"].isna()]
    assert sum(line.get_markerfacecolor() == "white" for line in dots) == len(undated)
    plt.close(figure)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_tie_notes_stay_inside_and_apart(facts, lang):
    figure, ax = draw_ties(facts["relations"], facts["actors"], lang)
    renderer = figure.canvas.get_renderer()
    frame = ax.get_window_extent(renderer)
    notes = [t.get_window_extent(renderer) for t in ax.texts if isinstance(t, Annotation)]
    rows = [t.get_window_extent(renderer) for t in ax.get_yticklabels()]
    assert all(frame.x0 - 1 <= box.x0 and box.x1 <= frame.x1 + 1 for box in notes)
    assert not any(a.overlaps(b) for i, a in enumerate(notes) for b in notes[i + 1 :])
    assert not any(a.overlaps(b) for i, a in enumerate(rows) for b in rows[i + 1 :])
    title = figure.get_suptitle().replace("\n", " ")
    assert title.startswith("OpenAI")  # the finding, from the data: the busiest actor
    plt.close(figure)


def test_house_style_is_applied():
    use_house_style()
    assert matplotlib.rcParams["axes.spines.top"] is False
    assert min(matplotlib.rcParams["xtick.labelsize"], matplotlib.rcParams["ytick.labelsize"]) >= 7
    assert matplotlib.rcParams["text.parse_math"] is False  # '$' in data never turns into math
