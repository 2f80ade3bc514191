import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import pytest

from helpers.charts import plot_event_timeline
from helpers.data import load_events
from helpers.style import use_house_style


@pytest.fixture
def axes():
    use_house_style()
    figure, ax = plt.subplots()
    yield ax
    plt.close(figure)


@pytest.mark.parametrize(
    ("lang", "title", "first_label", "last_date"),
    [
        ("fr", "Ce que l'article date", "Fondée", "24 décembre 2024"),
        ("en", "What the article dates", "Founded", "December 24, 2024"),
    ],
)
def test_timeline_has_one_mark_and_label_per_event_in_the_language(
    axes, data_dir, lang, title, first_label, last_date
):
    events = load_events(None, data_dir)
    returned = plot_event_timeline(axes, events, lang)
    assert returned is axes
    (points,) = axes.collections
    assert len(points.get_offsets()) == len(events) == 3
    assert axes.get_yticklabels()[0].get_text() == first_label
    assert axes.get_title(loc="left") == title
    date_labels = [text.get_text() for text in axes.texts]
    assert date_labels == ["2015", "février 2018" if lang == "fr" else "February 2018", last_date]


def test_timeline_puts_the_oldest_event_on_top(axes, data_dir):
    plot_event_timeline(axes, load_events(None, data_dir), "en")
    bottom, top = axes.get_ylim()
    assert top < bottom  # the y axis runs downward: row 0 (oldest) is drawn highest


def test_house_style_is_applied():
    use_house_style()
    assert matplotlib.rcParams["axes.spines.top"] is False
    assert min(matplotlib.rcParams["xtick.labelsize"], matplotlib.rcParams["ytick.labelsize"]) >= 7
