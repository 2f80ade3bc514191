import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest

from helpers.charts import plot_event_timeline
from helpers.style import use_house_style


@pytest.fixture
def axes():
    use_house_style()
    figure, ax = plt.subplots()
    yield ax
    plt.close(figure)


@pytest.mark.parametrize(
    ("lang", "title", "first_label", "dates"),
    [
        ("fr", "Ce que l'article date", "Fondée", ["2015", "février 2018", "24 décembre 2024"]),
        ("en", "What the article dates", "Founded", ["2015", "February 2018", "December 24, 2024"]),
    ],
)
def test_timeline_has_one_mark_and_label_per_event_in_the_language(
    axes, small_events, lang, title, first_label, dates
):
    returned = plot_event_timeline(axes, small_events, lang)
    assert returned is axes
    (points,) = axes.collections
    assert len(points.get_offsets()) == len(small_events) == 3
    assert axes.get_yticklabels()[0].get_text() == first_label
    assert axes.get_title(loc="left") == title
    assert [text.get_text() for text in axes.texts] == dates


def test_timeline_puts_the_oldest_event_on_top(axes, small_events):
    plot_event_timeline(axes, small_events, "en")
    bottom, top = axes.get_ylim()
    assert top < bottom  # the y axis runs downward: row 0 (oldest) is drawn highest


def test_house_style_is_applied():
    use_house_style()
    assert matplotlib.rcParams["axes.spines.top"] is False
    assert min(matplotlib.rcParams["xtick.labelsize"], matplotlib.rcParams["ytick.labelsize"]) >= 7
