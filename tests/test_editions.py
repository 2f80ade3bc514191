"""Every point of the parameter space builds, and an edition as of a day shows nothing later.

The grid: language x as_of (before the first fact, at each phase boundary, the default) x with or
without the public record x focus (each actor, and none). Editions are built in two processes;
any exception or warning fails the point it came from.
"""

import concurrent.futures
import datetime as dt
import itertools
import multiprocessing
import warnings

import pandas as pd
import pytest

from helpers.context import cited_sources, known_since, phases_with_dates, prepare_report
from helpers.data import load_fact_base
from helpers.params import check_parameters
from helpers.report import Edition
from helpers.report.sections import section_modules
from helpers.schema import date_fields

_FACTS: dict = {}


def _load() -> None:
    _FACTS.update(load_fact_base())


def as_of_points() -> list[str]:
    facts = load_fact_base()
    boundaries = phases_with_dates(facts)["start"].dt.date
    first = min(facts[name][field].min() for name, field in date_fields().items()).date()
    before = (first - dt.timedelta(days=1)).isoformat()
    return [before, *(day.isoformat() for day in boundaries), ""]


def later_than(edition_facts: dict, as_of: dt.date, everything: dict) -> list[str]:
    """What in an edition is dated after `as_of`: rows, cited sources, conflicts half-known."""
    limit, found = pd.Timestamp(as_of), []
    for name, field in date_fields().items():
        table = edition_facts[name]
        found += [f"{name} row dated {d.date()}" for d in table[field].dropna() if d > limit]
    since = known_since(everything)
    for source_id in cited_sources(edition_facts).index:
        if pd.notna(since.get(source_id)) and since[source_id] > limit:
            found.append(f"source {source_id} known from {since[source_id].date()}")
    return found


def attempt(point: tuple, work) -> str | None:
    """`work(params)` for one point of the grid, warnings as errors; the failure, or None."""
    lang, as_of, include, focus = point
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            params = check_parameters(
                lang=lang, as_of=as_of, include_public_record=include, focus=focus
            )
            failure = work(params)
            return f"{point}: {failure}" if failure else None
    except Exception as err:
        return f"{point}: {type(err).__name__}: {err}"


def _build(params) -> str | None:
    ctx = prepare_report(params, everything=_FACTS)
    for module in section_modules():
        module.build(ctx)
    later = later_than(ctx.facts, ctx.as_of, _FACTS) + later_than(ctx.record, ctx.as_of, _FACTS)
    return str(later[:3]) if later else None


def _render(params) -> str | None:
    return None if "<h1>" in Edition(params).page().html else "no title in the page"


def build_point(point: tuple) -> str | None:
    """Build every section of one edition, and check it shows nothing later than its day."""
    return attempt(point, _build)


def render_point(point: tuple) -> str | None:
    """Render one edition's whole page, figures included."""
    return attempt(point, _render)


def run_all(function, points: list[tuple]) -> list[str]:
    # spawned, not forked: pytest's process may hold threads by now (Python 3.12+ warns that a
    # fork of a multi-threaded process may deadlock, and 3.14 stops forking by default)
    spawn = multiprocessing.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(2, spawn, initializer=_load) as pool:
        return [failure for failure in pool.map(function, points, chunksize=8) if failure]


@pytest.fixture(scope="module")
def grid() -> list[tuple]:
    actors = sorted(load_fact_base()["actors"]["actor_id"])
    return list(itertools.product(("fr", "en"), as_of_points(), (True, False), ["", *actors]))


def test_every_point_of_the_parameter_space_builds_and_shows_nothing_later(grid):
    assert len(grid) >= 2 * 7 * 2 * 30
    assert run_all(build_point, grid) == []


def test_every_as_of_renders_whole_pages_in_both_languages_with_and_without_the_record():
    points = list(itertools.product(("fr", "en"), as_of_points(), (True, False), [""]))
    points += [("en", "", False, "musk"), ("fr", as_of_points()[1], True, "meta")]
    assert run_all(render_point, points) == []


def test_an_edition_as_of_a_day_cites_no_source_published_after_it():
    everything = load_fact_base()
    ctx = prepare_report(check_parameters(lang="en", as_of="2024-12-31"), everything=everything)
    published = cited_sources(ctx.facts)["published"].dropna()
    assert len(published) and (published <= pd.Timestamp("2024-12-31")).all()
    assert later_than(ctx.facts, ctx.as_of, everything) == []
    default = prepare_report(check_parameters(lang="en"), everything=everything)
    assert len(cited_sources(default.facts)) > len(cited_sources(ctx.facts))
