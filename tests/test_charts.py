"""Chart functions on small fixtures: marks, labels in the language, uncertainty drawn honestly."""

import itertools
import json
import math
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
import pytest
from legibility import assert_legible
from matplotlib.text import Annotation, Text
from strips import strip_counts

from helpers.charts import (
    AMOUNT_PANELS,
    COMPANY_COLOURS,
    MAX_KEY_LABELS,
    SPAN_WIDTH,
    actor_names,
    amount_label,
    amounts_figure_height,
    bound,
    company_of,
    cut_short,
    legal_figure_height,
    legal_lanes,
    legal_title,
    number_steps,
    plot_amounts,
    plot_legal_timeline,
    plot_overall_timeline,
    plot_positions,
    plot_relations,
    positions_height,
    regulatory_cases,
    short_date,
    short_summary,
    stance_marks,
    tie_note,
    timeline_axes,
    timeline_facts,
    timeline_key_facts,
    timeline_title,
    wrap,
)
from helpers.context import stances_held
from helpers.data import load_fact_base
from helpers.density import DENSITY_PAST
from helpers.i18n import NUMBER_WORDS, format_amount, format_money_short, label
from helpers.paths import DATA_DIR
from helpers.style import use_house_style
from helpers.typography import typeset


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
            "amount_id": ["round", "claim", "open", "ceiling", "range", "about"],
            "date": pd.to_datetime(
                ["2024-10-02", "2024-08-05", None, "2026-05-01", "2025-01-01", "2026-01-06"]
            ),
            "date_precision": ["day", "day", "unknown", "month", "day", "day"],
            "from_actor": ["", "musk", "", "openai", "", "microsoft"],
            "to_actor": ["openai", "openai", "", "musk", "xai", "openai"],
            "purpose": [
                "funding round",
                "donation",
                "cost estimate",
                "damages sought",
                "valuation",
                "investment",
            ],
            "low_usd": [6.6e9, 44e6, 100e9, 134e9, 40e9, 10e9],
            "high_usd": [None, None, None, None, 50e9, None],
            "qualifier": ["exact", "exact", "more than", "up to", "exact", "about"],
            "label_en": ["Round, October 2024", "Gift", "Cost", "Damages", "Value", "Stake"],
            "label_fr": ["Levée, octobre 2024", "Don", "Coût", "Dommages", "Valeur", "Part"],
            "assertion": ["fact", "claim", "claim", "claim", "fact", "fact"],
            "source_id": ["s"] * 6,
        }
    )


def draw_amounts(amounts: pd.DataFrame, lang: str, title: str = "", subtitle: str = ""):
    """The amounts chart in a figure of its own height, as the section draws it."""
    use_house_style()
    figure = plt.figure(figsize=(6.7, amounts_figure_height(amounts, lang, title, subtitle)))
    panels = plot_amounts(figure.subplots(), amounts, lang, title=title, subtitle=subtitle)
    figure.canvas.draw()
    return figure, panels


@pytest.fixture
def small_chart(request):
    figure, panels = draw_amounts(small_amounts(), request.param)
    yield request.param, panels
    plt.close(figure)


def markers(ax) -> list:
    return [line for line in ax.lines if line.get_marker() not in (None, "None", "")]


def arrows(ax) -> list:
    return [
        child for child in ax.get_children() if isinstance(child, Annotation) and child.arrow_patch
    ]


def values(panels) -> list[str]:
    return [text.get_text() for ax in panels for text in ax.texts if text.get_gid() == "value"]


def row_labels(ax) -> list[str]:
    return [tick.get_text().replace("\n", " ") for tick in ax.get_yticklabels()]


def test_every_purpose_code_has_exactly_one_panel():
    package = json.loads((DATA_DIR / "datapackage.json").read_text(encoding="utf-8"))
    (amounts,) = [resource for resource in package["resources"] if resource["name"] == "amounts"]
    (purpose,) = [field for field in amounts["schema"]["fields"] if field["name"] == "purpose"]
    codes = purpose["constraints"]["enum"]
    panels = [code for codes_ in AMOUNT_PANELS.values() for code in codes_]
    assert sorted(panels) == sorted(codes)  # each code once, none missing, none invented
    assert list(AMOUNT_PANELS) == ["raised", "valued", "claimed"]


@pytest.mark.parametrize("small_chart", ["en", "fr"], indirect=True)
def test_amounts_are_small_multiples_by_kind_on_one_scale(small_chart):
    lang, panels = small_chart
    assert len(panels) == 3
    headings = [
        text.get_text() for ax in panels for text in ax.texts if text.get_gid() == "panel-heading"
    ]
    assert headings == [label(f"money.panel_{panel}", lang) for panel in AMOUNT_PANELS]
    raised, valued, claimed = (set(row_labels(ax)) for ax in panels)
    gift, value, cost = ("Gift", "Value", "Cost") if lang == "en" else ("Don", "Valeur", "Coût")
    assert any(text.startswith(gift) for text in raised)
    assert all(text.startswith(value) for text in valued)
    assert any(text.startswith(cost) for text in claimed)
    assert len({ax.get_xlim() for ax in panels}) == 1  # one shared scale
    assert all(ax.get_xscale() == "log" for ax in panels)


@pytest.mark.parametrize(
    ("lang", "value", "round_label"),
    [("fr", "6,6\u00a0Md$", "Levée, oct.\u00a02024"), ("en", "$6.6B", "Round, Oct.\u00a02024")],
)
def test_each_mark_has_its_value_and_a_dated_label_in_the_language(lang, value, round_label):
    figure, panels = draw_amounts(small_amounts(), lang)
    assert value in values(panels)
    labels = [text for ax in panels for text in row_labels(ax)]
    assert round_label in labels  # the label's own 'October 2024' is not repeated
    undated = label("common.unknown_date", lang).replace(" ", "\u00a0")  # kept on one line
    assert any(text.endswith(undated) for text in labels)  # the undated one says so
    month = "May\u00a02026" if lang == "en" else "mai\u00a02026"
    assert any(text.endswith(month) for text in labels)  # known to the month: the month
    plt.close(figure)


def test_every_label_of_the_fact_base_carries_a_date_or_says_undated(facts):
    for lang in ("en", "fr"):
        for amount in facts["amounts"].itertuples():
            text = amount_label(amount, lang).replace("\n", " ")
            undated = label("common.unknown_date", lang).replace(" ", "\u00a0")
            assert re.search(r"\d{4}$", text) or text.endswith(undated)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_gridline_at_every_decade_with_money_ticks(facts, lang):
    amounts = facts["amounts"]
    figure, panels = draw_amounts(amounts, lang)
    for ax in panels:
        ticks = [tick for tick in ax.get_xticks() if ax.get_xlim()[0] <= tick <= ax.get_xlim()[1]]
        powers = [round(math.log10(tick), 6) for tick in ticks]
        assert powers == list(range(int(powers[0]), int(powers[0]) + len(powers)))  # no gap
        assert ticks[0] <= amounts["low_usd"].min() and ticks[-1] * 10 > amounts["low_usd"].max()
        texts = [tick.get_text() for tick in ax.get_xticklabels()]
        assert texts[: len(ticks)] == [format_money_short(tick, lang) for tick in ticks]
        assert all(line.get_visible() for line in ax.xaxis.get_gridlines())
    plt.close(figure)


@pytest.mark.parametrize("small_chart", ["en"], indirect=True)
def test_a_stated_range_is_a_band_from_low_to_high(small_chart):
    _, panels = small_chart
    bands = [patch for ax in panels for patch in ax.patches if patch.get_gid() == "range"]
    assert len(bands) == 1
    assert (bands[0].get_x(), bands[0].get_x() + bands[0].get_width()) == (40e9, 50e9)
    assert "$40B–$50B" in values(panels)


@pytest.mark.parametrize("small_chart", ["en"], indirect=True)
def test_open_ended_amounts_are_open_arrows_not_points(small_chart):
    _, panels = small_chart
    drawn = [arrow for ax in panels for arrow in arrows(ax)]
    assert len(drawn) == 2  # "more than" and "up to"
    directions = sorted("right" if arrow.xy[0] > arrow.xyann[0] else "left" for arrow in drawn)
    assert directions == ["left", "right"]
    assert all(arrow.arrow_patch.get_arrowstyle().__class__.__name__ == "CurveB" for arrow in drawn)
    assert {"more than $100B", "up to $134B"} <= set(values(panels))


@pytest.mark.parametrize("small_chart", ["en"], indirect=True)
def test_claims_are_hollow_facts_filled_and_about_is_a_diamond(small_chart):
    _, panels = small_chart
    points = [line for ax in panels for line in markers(ax)]
    assert len(points) == 5  # every amount but the range, which is a band
    faces = [line.get_markerfacecolor() for line in points]
    assert faces.count("white") == 3  # the three claims drawn as points
    assert [line.get_marker() for line in points].count("D") == 1  # the "about"
    assert "about $10B" in values(panels)


def test_colour_is_the_company_and_okabe_ito():
    from helpers.charts import BLUE, GREEN, VERMILLION

    rows = small_amounts()
    colours = {row.amount_id: COMPANY_COLOURS[company_of(row)] for row in rows.itertuples()}
    assert colours["round"] == BLUE and colours["claim"] == VERMILLION
    assert colours["about"] == GREEN and colours["open"] == COMPANY_COLOURS["other"]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_no_two_labels_of_the_money_chart_overlap(lang):
    from helpers.context import prepare_report
    from helpers.params import check_parameters
    from helpers.report.sections import money

    for params in ({}, {"as_of": "2024-12-31"}, {"focus": "musk"}):
        section = money.build(prepare_report(check_parameters(lang=lang, **params)))
        assert section.chart.size[1] <= money.MAX_FIGURE_INCHES  # printed at full size
        figure = section.figure()
        assert len(figure.axes) >= 2
        assert_legible(figure)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_title_states_a_finding_computed_from_the_data(facts, lang):
    from helpers.report.sections.money import finding

    amounts = facts["amounts"]
    names = {"openai": "OpenAI", "xai": "xAI"}
    title = finding(amounts, names, lang)
    valued = amounts[(amounts["purpose"] == "valuation") & (amounts["to_actor"] == "openai")]
    valued = valued.dropna(subset=["date"]).sort_values(["date", "low_usd"])
    first, last = valued.iloc[0], valued.iloc[-1]
    assert title.startswith("OpenAI")
    for value in (first["low_usd"], last["low_usd"]):
        assert format_amount(value, None, "exact", lang) in title
    claimed = amounts[amounts["purpose"] == "damages sought"]  # no valuation: the largest
    top = claimed.sort_values("low_usd").iloc[-1]
    title = finding(claimed, names, lang)
    assert format_amount(top["low_usd"], top["high_usd"], "about", lang) in title
    assert title.startswith(label("money.title_largest_claimed", lang).split("{")[0])


def draw_legal(facts, lang, steps=None):
    use_house_style()
    steps = number_steps(facts["legal_actions"] if steps is None else steps)
    figure = plt.figure(figsize=(6.7, legal_figure_height(steps)))
    ax = figure.subplots()
    plot_legal_timeline(ax, steps, facts["cases"], lang)
    figure.canvas.draw()
    return figure, ax, steps


def key_labels(ax) -> list:
    return [text for text in ax.texts if str(text.get_gid()).startswith("key-step-")]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_legal_key_steps_are_labelled_dated_and_never_overlap(facts, lang):
    figure, ax, steps = draw_legal(facts, lang)
    labels = key_labels(ax)
    assert 3 <= len(labels) <= MAX_KEY_LABELS
    numbers = [int(text.get_gid().split("-")[-1]) for text in labels]
    by_number = steps.set_index("number")
    assert set(by_number.loc[numbers, "importance"]) <= {1, 2}  # chosen by importance
    decisive = by_number[by_number["importance"] == 1].index
    assert set(decisive) <= set(numbers)  # every decisive step is labelled
    for number, text in zip(numbers, labels, strict=True):  # each label starts with its date
        assert text.get_text().split("\n")[0] == short_date(by_number.loc[number, "date"], lang)
    assert min(text.get_fontsize() for text in ax.texts) >= 7
    assert not overlapping(ax, labels)
    renderer = figure.canvas.get_renderer()
    points = [
        ax.transData.transform((mdates.date2num(x), y))
        for line in markers(ax)
        for x, y in zip(line.get_xdata(), line.get_ydata(), strict=True)
    ]
    boxes = [text.get_window_extent(renderer) for text in labels]
    assert not any(box.contains(*point) for box in boxes for point in points)  # no mark hidden
    frame = ax.get_window_extent()
    assert all(frame.contains(*text.get_window_extent(renderer).min) for text in labels)
    assert all(frame.contains(*text.get_window_extent(renderer).max) for text in labels)
    plt.close(figure)


def test_the_verdict_is_labelled_and_the_title_says_how_the_federal_case_stands(facts):
    figure, ax, steps = draw_legal(facts, "en")
    assert any("A unanimous advisory jury" in text.get_text() for text in key_labels(ax))
    assert ax.get_title(loc="left").replace("\n", " ") == (
        "Musk v. Altman (federal court): verdict on May 18, 2026, then appeal announced"
    )
    before = steps[steps["date"] <= "2024-12-31"]
    assert legal_title(before, facts["cases"], "fr").endswith("aucune décision encore")
    plt.close(figure)


def test_legal_chart_has_at_most_three_kinds_of_mark(facts):
    figure, ax, steps = draw_legal(facts, "en")
    kinds = {(line.get_marker(), line.get_markerfacecolor()) for line in markers(ax)}
    assert len(kinds) <= 3
    assert sum(len(line.get_xdata()) for line in markers(ax)) == len(steps)
    assert len(ax.get_legend().get_texts()) == len(kinds)
    plt.close(figure)


def test_legal_steps_are_drawn_in_their_true_order(facts):
    """Same-day steps stand side by side in `sequence` order: the verdict, then the appeal."""
    figure, ax, steps = draw_legal(facts, "en")
    drawn = sorted(
        (y, mdates.date2num(x), marker)
        for line in markers(ax)
        for x, y, marker in zip(line.get_xdata(), line.get_ydata(), itertools.repeat(line))
    )
    for _, lane in itertools.groupby(drawn, key=lambda point: point[0]):
        xs = [x for _, x, _ in lane]
        assert len(set(xs)) == len(xs)  # no two steps of a case drawn on one spot
    verdict = steps.set_index("action_id").loc[["verdict", "appeal-announced"]]
    assert list(verdict["number"]) == sorted(verdict["number"])
    xs: dict[str, list] = {}  # each step is its own mark (a link to its source)
    for line in markers(ax):
        xs.setdefault(line.get_marker(), []).extend(mdates.date2num(line.get_xdata()))
    day = mdates.date2num(pd.Timestamp("2026-05-18"))
    verdict_x = [x for x in xs["D"] if x == day]  # the verdict sits on its day
    appeal_x = [x for x in xs["o"] if day < x < day + 25]  # the appeal of that afternoon after it
    assert len(verdict_x) == 1 and len(appeal_x) == 1
    plt.close(figure)


def test_regulatory_reviews_stand_apart_from_court_cases(facts):
    figure, ax, steps = draw_legal(facts, "fr")
    assert regulatory_cases(steps) == {"openai-conversion-review"}
    lanes = legal_lanes(steps)
    assert lanes[-1] == "openai-conversion-review"  # after every lawsuit, in its own band
    texts = [text.get_text() for text in ax.texts]
    assert "Lettres et examens par une autorité" in texts
    band = [patch for patch in ax.patches if patch.get_facecolor()[:3] != (1.0, 1.0, 1.0)]
    assert band  # a shaded band holds the reviews
    letter_y = {
        y
        for line in markers(ax)
        for x, y in zip(line.get_xdata(), line.get_ydata(), strict=True)
        if pd.Timestamp(mdates.num2date(mdates.date2num(x))).date()
        == pd.Timestamp("2024-12-12").date()
    }
    court_ys = {y for line in markers(ax) for y in line.get_ydata()} - letter_y
    assert min(letter_y) > max(court_ys)  # Meta's letter is drawn below every court case
    plt.close(figure)


@pytest.mark.parametrize("factor", [1, 10])
def test_legal_chart_stays_legible_as_steps_multiply(facts, factor):
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
    figure, ax, _ = draw_legal(facts, "fr", many)
    assert figure.get_size_inches()[1] <= 9.0  # one A4 page at full size: labels stay at 7 pt
    # every step is drawn: a mark each, or counted in the strip of a lane too crowded for marks
    marks = [line for line in markers(ax) if line.get_gid() != "key-mark"]
    assert sum(len(line.get_xdata()) for line in marks) + sum(strip_counts(ax)) == len(many)
    assert bool(strip_counts(ax)) == (many["case_id"].value_counts().max() > DENSITY_PAST)
    labels = key_labels(ax)
    assert 3 <= len(labels) <= MAX_KEY_LABELS and not overlapping(ax, labels)
    plt.close(figure)


def test_a_legal_chart_of_one_step_or_none(facts):
    figure, ax, _ = draw_legal(facts, "en", facts["legal_actions"].head(1))
    assert len(key_labels(ax)) == 1
    plt.close(figure)
    figure, ax, _ = draw_legal(facts, "en", facts["legal_actions"].head(0))
    assert not ax.axison
    plt.close(figure)


def overlapping(ax, texts) -> bool:
    renderer = ax.figure.canvas.get_renderer()
    boxes = [text.get_window_extent(renderer) for text in texts]
    return any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1 :])


def stance_dots(ax) -> list:
    return [line for line in markers(ax) if str(line.get_gid()).startswith("stance")]


def draw_positions(facts, lang, positions=None, end="2026-06-30"):
    use_house_style()
    positions = facts["positions"] if positions is None else positions
    positions = stances_held(positions, pd.Timestamp(end).date())
    names = actor_names(facts["actors"], lang)
    marks = stance_marks(positions, pd.Timestamp(end))
    figure = plt.figure(figsize=(6.7, positions_height(marks, facts["topics"], lang, names)))
    ax = figure.subplots()
    plot_positions(ax, positions, facts["actors"], facts["topics"], lang, pd.Timestamp(end))
    figure.canvas.draw()
    return figure, ax


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_positions_draw_only_known_stances_one_dot_each(facts, lang):
    figure, ax = draw_positions(facts, lang)
    dots = stance_dots(ax)
    marks = stance_marks(facts["positions"], pd.Timestamp("2026-06-30"))
    assert len(dots) == len(marks) <= len(facts["positions"])  # no cell for an unknown
    assert "?" not in [text.get_text() for text in ax.texts]
    known_pairs = set(
        zip(facts["positions"]["topic_id"], facts["positions"]["actor_id"], strict=True)
    )
    rows = [tick.get_text() for tick in ax.get_yticklabels()]
    assert len(rows) == len(known_pairs)  # a row for each actor with a known stance on a topic
    assert min(text.get_fontsize() for text in ax.texts) >= 7
    plt.close(figure)


def test_a_changed_stance_shows_both_stances_an_arrow_and_its_date(facts):
    military = facts["positions"][facts["positions"]["topic_id"] == "military-ai"]
    own = military[military["asserted_by"] == military["actor_id"]]
    figure, ax = draw_positions(facts, "en", own)
    gids = sorted(str(line.get_gid()) for line in stance_dots(ax))
    assert gids == ["stance+1", "stance-2"]  # the old stance and the new one
    assert len(arrows(ax)) == 1
    change = [text.get_text() for text in ax.texts if text.get_gid() == "stance-change"]
    assert change == ["−2 → +1 · Jan. 10, 2024"]
    assert "OpenAI changed stance" in ax.get_title(loc="left")
    plt.close(figure)


def test_each_row_says_its_latest_stance_dated_and_who_attributes_it(facts):
    figure, ax = draw_positions(facts, "fr")
    summaries = [
        t.get_text().replace("\n", " ") for t in ax.texts if t.get_gid() == "stance-summary"
    ]
    assert any("déc. 2024" in text for text in summaries)
    assert any("selon Sam Altman" in text for text in summaries)  # attributed, and by whom
    assert (
        ax.get_title(loc="left")
        .replace("\n", " ")
        .endswith("le désaccord le plus net porte sur la conversion d\u2019OpenAI au lucratif")
    )
    plt.close(figure)


def test_an_edition_draws_nothing_past_its_day(facts):
    marks = stance_marks(facts["positions"], pd.Timestamp("2024-12-31"))
    conversion = marks[(marks["position_id"] == "openai-conversion-2024")]
    assert conversion["stop"].isna().all()  # its end in May 2025 was not known yet


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_summaries_beside_the_positions_chart_do_not_overlap(facts, lang):
    figure, ax = draw_positions(facts, lang)
    kinds = ("stance-summary", "stance-change", "topic-heading")
    texts = [t for t in ax.texts if t.get_gid() in kinds]
    assert {t.get_gid() for t in texts} == set(kinds)
    assert not overlapping(ax, texts)
    right = figure.get_window_extent().x1
    renderer = figure.canvas.get_renderer()
    assert all(t.get_window_extent(renderer).x1 <= right for t in texts)  # nothing cut off
    plt.close(figure)


def test_positions_of_an_edition_without_dates_or_without_stances(facts):
    undated = facts["positions"].assign(date=pd.NaT, valid_from=pd.NaT, valid_until=pd.NaT)
    figure, ax = draw_positions(facts, "en", undated)
    assert len(stance_dots(ax)) > 0 and arrows(ax) == []
    plt.close(figure)
    figure, ax = draw_positions(facts, "en", facts["positions"].head(0))
    assert not ax.axison
    plt.close(figure)


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


def timeline_key_labels(figure) -> list:
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
        # in its band (the data's words), or in the key row (typeset) when its band is too narrow
        assert name in written or typeset(name, lang) in written
    other = "fr" if lang == "en" else "en"
    assert facts["phases"][f"label_{other}"].iloc[0] not in written
    plt.close(figure)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_timeline_labels_the_key_facts_with_their_dates(facts, lang):
    from helpers.i18n import format_date

    figure = draw_timeline(facts, lang)
    labels = timeline_key_labels(figure)
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
        labels = [a for a in timeline_key_labels(figure) if a.axes is ax]
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


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_crowded_timeline_track_is_counted_by_month_and_every_fact_is_counted(facts, lang):
    """Past DENSITY_PAST facts on a track, marks would be ink on ink (and minutes of drawing at
    scale): the track is a strip of monthly counts whose bars add up to its facts known to the
    day or month, in each panel; the key facts keep their label."""
    from helpers.charts import TRACKS, timeline_facts

    events = facts["events"][facts["events"]["date_precision"] == "day"]
    copies = DENSITY_PAST + 1  # every track that holds a fact now holds more than the limit
    crowd = pd.concat(
        [events.assign(date=events["date"] - pd.Timedelta(days=n)) for n in range(copies)]
    )
    figure = draw_timeline(facts, lang, events=crowd)
    drawn = timeline_facts(crowd, facts["legal_actions"])
    assert set(drawn["track"]) == set(TRACKS)
    for panel in figure.axes[:2]:
        left, right = (pd.Timestamp(mdates.num2date(x).date()) for x in panel.get_xlim())
        inside = drawn[(drawn["date"] >= left) & (drawn["date"] <= right)]
        assert not [line for line in panel.lines if line.get_marker() == "|"]  # no tick left
        assert sum(strip_counts(panel)) == (inside["precision"] != "year").sum() > DENSITY_PAST
    assert len(timeline_key_labels(figure)) >= 3
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
        assert "Groupe d\u2019investisseurs mené par Elon Musk → OpenAI" in rows
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


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_the_title_follows_the_data_when_it_changes(facts, lang):
    from helpers.report.sections.money import finding

    amounts, names = facts["amounts"], {"openai": "OpenAI", "musk": "Elon Musk"}
    gifts = amounts[(amounts["purpose"] == "donation") & (amounts["from_actor"] == "musk")]
    dated = gifts.dropna(subset=["date"]).sort_values("date")
    title = finding(gifts, names, lang)  # no valuation: the donor's changing tally
    assert "Elon Musk" in title
    assert format_amount(dated["low_usd"].iloc[0], None, dated["qualifier"].iloc[0], lang) in title
    assert (
        format_amount(dated["low_usd"].iloc[-1], None, dated["qualifier"].iloc[-1], lang) in title
    )
    valued = amounts[(amounts["purpose"] == "valuation") & (amounts["to_actor"] == "openai")]
    valued = valued.sort_values(["date", "low_usd"])
    falling = valued.assign(low_usd=valued["low_usd"].to_numpy()[::-1])  # a fall, same dates
    down = label("money.title_growth_down", lang).split("{last_date}")[1].split("{")[0]
    assert down in finding(falling, names, lang)
    assert finding(falling, names, lang).startswith("OpenAI")


def test_long_labels_drop_rows_rather_than_shrink_the_printed_chart():
    import dataclasses

    from helpers.context import prepare_report
    from helpers.params import check_parameters
    from helpers.report.sections import money

    ctx = prepare_report(check_parameters(lang="fr"))
    amounts = ctx.facts["amounts"]
    wordy = amounts.assign(label_fr=amounts["label_fr"] + " — " + "longue explication " * 8)
    section = money.build(dataclasses.replace(ctx, facts={**ctx.facts, "amounts": wordy}))
    assert section.chart.size[1] <= money.MAX_FIGURE_INCHES
    written = re.match(r"Les (\w+) montants", section.chart.caption).group(1)  # 'neuf', '12'
    drawn = int(written) if written.isdigit() else NUMBER_WORDS["fr"].index(written)
    assert drawn < money.MAX_AMOUNT_ROWS  # fewer rows than the cap...
    assert f"Seuls {written} des {len(amounts)} montants" in section.chart.caption  # ...and said
    assert_legible(section.figure())


def test_a_label_cut_short_closes_the_quotation_it_leaves_open():
    """A label cut after a few lines ends with '…'; a quotation it opened is closed after it, and
    no space or punctuation is left before the ellipsis or a removed clause."""
    lines = ["Altman demande une", "«\u202fréglementation", "raisonnable\u202f» de l’IA"]
    assert cut_short(lines, 2) == ["Altman demande une", "«\u202fréglementation…\u202f»"]
    assert cut_short(["asks for \u201csensible", "regulation\u201d of AI"], 1) == [
        "asks for \u201csensible…\u201d"
    ]
    assert cut_short(["Musk sues,", "then appeals"], 1) == ["Musk sues…"]
    assert cut_short(["short"], 2) == ["short"]
    summary = "Un jury juge les demandes de Musk prescrites\u00a0; la juge adopte le verdict"
    assert short_summary(summary, 24).split("\n")[-1] == "prescrites"


def test_a_wrapped_french_label_never_starts_a_line_with_its_punctuation():
    """Wrapping breaks at spaces: the one before : ; ! ? » and after « is bound first, so a
    line never starts with a colon or a closing mark, nor ends with an opening one."""
    for text in ("Revirement complet : OpenAI", "L’intertitre « 40 millions volés »", "Qui ?"):
        for width in range(4, len(text)):
            for line in wrap(text, width).split("\n"):
                assert not line.startswith((":", ";", "!", "?", "»")), (text, width)
                assert not line.endswith("«"), (text, width)
    assert bound("a : b « c » d ?") == "a\u00a0: b «\u00a0c\u00a0» d\u00a0?"
    assert bound("OpenAI: Musk?") == "OpenAI: Musk?"  # English leaves no such space


def test_a_change_of_stance_is_a_dated_own_stance_unlike_the_one_before_in_its_chain():
    from helpers.charts import stance_changes

    rows = [  # topic, actor, own, start, stance; rows out of date order, chains interleaved
        ("safety", "altman", True, "2024-03-01", 1),
        ("profit", "musk", True, "2023-01-01", -2),
        ("safety", "altman", True, "2023-01-01", 2),
        ("profit", "musk", True, "2024-06-01", -2),  # the same stance again: no change
        ("safety", "altman", True, "2025-01-01", 2),
        ("profit", "musk", False, "2025-01-01", 2),  # attributed by someone else: not its own
        ("profit", "musk", True, None, 1),  # undated: no date to put a change at
        ("profit", "musk", True, "2025-06-01", 0),
    ]
    marks = pd.DataFrame(rows, columns=["topic_id", "actor_id", "own", "start", "stance"])
    marks["start"] = pd.to_datetime(marks["start"])
    changes = stance_changes(marks)
    assert changes.to_dict("records") == [  # chains in the order of their first date
        {"topic_id": "profit", "actor_id": "musk", "before": -2, "after": 0,
         "date": pd.Timestamp("2025-06-01")},
        {"topic_id": "safety", "actor_id": "altman", "before": 2, "after": 1,
         "date": pd.Timestamp("2024-03-01")},
        {"topic_id": "safety", "actor_id": "altman", "before": 1, "after": 2,
         "date": pd.Timestamp("2025-01-01")},
    ]  # fmt: skip
    assert stance_changes(marks[marks["actor_id"] == "nobody"]).empty
