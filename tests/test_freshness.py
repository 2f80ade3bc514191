"""How current the data is: the newest fact, how far the record was checked, stale warnings."""

import datetime as dt
import json

import pytest
from datafiles import replace_in
from projects import project, small_notebook

from helpers import build
from helpers.config import ConfigError, load_config
from helpers.freshness import freshness, newest_fact, record_checked, stale_warning


def test_the_newest_fact_is_read_from_every_dated_table(data_dir):
    assert newest_fact(data_dir) == dt.date(2026, 6, 15)
    replace_in(
        data_dir / "relations.csv",
        "altman,openai,co-founded,2015-12-11,",
        "altman,openai,co-founded,2027-03,",
    )
    assert newest_fact(data_dir) == dt.date(2027, 3, 1)  # placed on the month's first day


def test_the_data_says_how_far_the_record_was_checked(data_dir):
    descriptor = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["recordCheckedThrough"] = "2026-11-20"
    (data_dir / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    assert record_checked(data_dir) == dt.date(2026, 11, 20)


def test_data_older_than_the_threshold_is_stale(data_dir):
    fresh = freshness(data_dir, stale_after_days=120, today=dt.date(2026, 7, 1))
    assert fresh["age_days"] == 16 and not fresh["stale"] and stale_warning(fresh) is None
    old = freshness(data_dir, stale_after_days=120, today=dt.date(2026, 11, 28))
    assert old["stale"] and old["age_days"] == 166
    assert "newest fact is dated 2026-06-15, 166 days ago" in stale_warning(old)


@pytest.mark.parametrize("value", ["0", "-3", "true", '"90"'])
def test_a_bad_threshold_is_refused_by_name(tmp_path, value):
    config = project(tmp_path, f'[[report]]\nname = "x"\nstale_after_days = {value}\n')
    with pytest.raises(ConfigError, match="field stale_after_days"):
        load_config(config)


def test_a_scheduled_build_warns_in_its_log_and_on_the_index(tmp_path):
    body = '[[report]]\nname = "small"\nformats = ["html"]\nstale_after_days = {days}\n'
    config = project(tmp_path, body.format(days=100_000), small_notebook("print('fine')"))
    reports, logged = tmp_path / "reports", []
    build.build(config=config, reports_dir=reports, log=logged.append)
    assert not [line for line in logged if "WARNING" in line]
    assert "Stale data" not in (reports / "index.html").read_text(encoding="utf-8")
    config.write_text(config.read_text().replace("100000", "30"), encoding="utf-8")
    results = build.build(config=config, reports_dir=reports, log=logged.append)
    assert [result.status for result in results] == ["up to date"]  # the threshold is no input
    assert [line for line in logged if line.startswith("WARNING stale data: the newest fact")]
    index = (reports / "index.html").read_text(encoding="utf-8")
    assert "Stale data:" in index and "more than the 30 days" in index
    manifest = json.loads((reports / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["data"]["stale"] is True and manifest["data"]["newest_fact"] == "2026-06-15"
