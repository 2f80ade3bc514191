"""The report holds up when the fact base grows tenfold."""

import re

import pytest

from helpers import sections
from helpers.context import prepare_report
from helpers.data import load_table
from helpers.params import check_parameters
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
    money = sections.money(ctx)
    assert f"{sections.MAX_AMOUNT_ROWS} amounts in dollars" in money
    positions = sections.positions(ctx)
    assert re.search(r"Grid of (\d+) rows", positions)
    rows = int(re.search(r"Grid of (\d+) rows", positions).group(1))
    assert rows <= sections.MAX_POSITION_ROWS
    courts = sections.courts(ctx)
    steps = len(ctx.facts["legal_actions"])
    assert courts.count("<tr>") == sections.MAX_STEP_ROWS + 1  # the latest steps, and a header
    assert f"most recent of {steps} steps" in courts
    for html in (money, positions, courts, sections.timeline(ctx), sections.relations(ctx)):
        assert "data:image/png;base64," in html
