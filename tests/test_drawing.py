"""Drawing the charts more cheaply changes nothing the reader gets: the same SVG, byte for byte.

Each saving is set against what it replaced, on every chart of both editions, desk and phone:
savefig's SVG renderers sharing one measure of each text (against each renderer measuring every
text itself), a chart laid out before it places its words (against the full draw it made), and
a date axis's ticks worked out once per view (against its locator asked each time).
"""

import contextlib

import pytest
from matplotlib.backends.backend_svg import RendererSVG
from matplotlib.figure import Figure

from helpers import charts
from helpers.report import open_edition, render

CHARTS = ("timeline", "money", "courts", "positions", "relations")


@pytest.fixture(scope="module")
def editions():
    return {lang: open_edition(lang=lang) for lang in ("fr", "en")}


def svgs(editions, key: str, lang: str) -> list[str]:
    spec = editions[lang].section(key).chart
    layouts = [(spec, key), (spec.narrowed(), f"{key}-phone")]
    return [render._drawn_svg(chart, name, lang) for chart, name in layouts]


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("key", CHARTS)
def test_each_chart_is_the_svg_of_full_draws_and_of_every_text_measured_by_each_renderer(
    editions, key, lang, monkeypatch
):
    cheap = svgs(editions, key, lang)
    replaced = [
        (render, "_svg_text_measured_once", contextlib.nullcontext),
        (charts, "settle_layout", Figure.draw_without_rendering),
        (charts, "TicksPerView", lambda locator: locator),
    ]
    for module, name, before in replaced:  # each alone
        with monkeypatch.context() as patch:
            patch.setattr(module, name, before)
            assert svgs(editions, key, lang) == cheap, name
    for module, name, before in replaced:  # all together
        monkeypatch.setattr(module, name, before)
    assert svgs(editions, key, lang) == cheap


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
