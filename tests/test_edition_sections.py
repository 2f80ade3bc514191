"""A notebook cell builds the section it shows: `edition.section(key)` builds that section (and,
for a chart's number, the sections before it), never the whole report."""

import pytest

from helpers.report import open_edition
from helpers.report.sections import section_keys


@pytest.fixture(scope="module")
def whole():
    """The sections of an edition built all at once, as the published page builds them."""
    return open_edition(lang="en").sections


def _built_keys(edition) -> list[str]:
    return [edition._built(place).key for place in sorted(edition._kept)]


def test_a_section_without_a_chart_is_built_alone():
    edition = open_edition(lang="en")
    summary = edition.section("summary")
    assert summary.key == "summary" and summary.chart is None
    assert _built_keys(edition) == ["summary"]


def test_a_chart_is_numbered_after_the_charts_before_it_in_any_order_of_asking(whole):
    edition = open_edition(lang="en")
    for key in reversed(section_keys()):  # the last section first
        asked = edition.section(key)
        expected = next(section for section in whole if section.key == key)
        assert asked.number == expected.number, key
        assert (asked.heading, asked.paragraphs, asked.items, asked.sources) == (
            expected.heading,
            expected.paragraphs,
            expected.items,
            expected.sources,
        ), key
    assert [s.number for s in edition.sections] == [s.number for s in whole]
    assert any(s.number for s in whole)  # the report has charts to number


def test_an_unknown_section_is_refused_with_the_known_ones():
    with pytest.raises(KeyError, match="no section 'nothing': the report has summary, timeline"):
        open_edition(lang="en").section("nothing")
