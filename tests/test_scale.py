"""The report holds up when the fact base grows tenfold."""

import re

import pytest

from helpers.context import prepare_report
from helpers.data import load_table
from helpers.params import check_parameters
from helpers.report.prose import plain
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


def test_tenfold_report_sections_stay_within_their_limits(tenfold):
    ctx = prepare_report(check_parameters(lang="en"), data_dir=tenfold)
    assert money.build(ctx).chart.caption.startswith(f"{money.MAX_AMOUNT_ROWS} amounts in dollars")
    rows = int(re.search(r"Grid of (\d+) rows", positions.build(ctx).chart.alt).group(1))
    assert rows <= positions.MAX_POSITION_ROWS
    steps = courts.build(ctx)
    assert len(steps.table) == courts.MAX_STEP_ROWS  # the latest steps
    assert f"most recent of {len(ctx.facts['legal_actions'])} steps" in plain(
        steps.extra["table_note"]
    )
    assert steps.html.count("<tr>") == courts.MAX_STEP_ROWS + 1  # and a header row
    for module in (money, positions, courts, timeline, relations):
        assert "data:image/png;base64," in module.build(ctx).html
