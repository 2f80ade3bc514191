"""Drawing the charts more cheaply changes nothing the reader gets: the same SVG, byte for byte."""

import contextlib

import pytest
from matplotlib.backends.backend_svg import RendererSVG

from helpers.report import open_edition, render

CHARTS = ("timeline", "money", "courts", "positions", "relations")


@pytest.fixture(scope="module")
def editions():
    return {lang: open_edition(lang=lang) for lang in ("fr", "en")}


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("key", CHARTS)
def test_a_text_measured_once_per_chart_gives_the_svg_of_matplotlib_measuring_it_each_time(
    editions, key, lang, monkeypatch
):
    """savefig's three SVG renderers share one measure of each text: desk and phone SVGs are
    those matplotlib writes when each renderer measures every text itself."""
    spec = editions[lang].section(key).chart
    layouts = [(spec, key), (spec.narrowed(), f"{key}-phone")]
    shared = [render._drawn_svg(chart, name, lang) for chart, name in layouts]
    monkeypatch.setattr(render, "_svg_text_measured_once", contextlib.nullcontext)
    assert [render._drawn_svg(chart, name, lang) for chart, name in layouts] == shared


def test_the_shared_measure_ends_with_its_chart_even_when_drawing_fails(editions):
    """No memo outlives the chart it was made for, nor leaks into the next (another size,
    language or layout): matplotlib's own measure is back after a chart, drawn or failed."""
    own = RendererSVG.get_text_width_height_descent
    spec = editions["en"].section("money").chart
    render._drawn_svg(spec, "money", "en")
    assert RendererSVG.get_text_width_height_descent is own

    def broken(ax):
        ax.set_title("a title")
        raise ValueError("a chart that fails while drawn")

    failing = type(spec)(draw=broken, size=(3, 2), caption="", alt="")
    with pytest.raises(ValueError, match="fails while drawn"):
        render._drawn_svg(failing, "broken", "en")
    assert RendererSVG.get_text_width_height_descent is own
