"""Shared fixtures: a copy of the fact base to break, small tables for the pure functions."""

import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers.paths import DATA_DIR


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A copy of the real data/ folder that a test may change freely."""
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    return copy


@pytest.fixture
def small_events() -> pd.DataFrame:
    """Three events, one of each date precision, as helpers.data.load_events returns them."""
    return pd.DataFrame(
        {
            "event_id": ["a", "b", "c"],
            "date": pd.to_datetime(["2015-01-01", "2018-02-01", "2024-12-24"]),
            "date_precision": pd.Categorical(["year", "month", "day"]),
            "title_en": ["Founded", "Left the board", "Interview"],
            "title_fr": ["Fondée", "Quitte le conseil", "Entretien"],
            "source_id": ["s", "s", "s"],
        }
    )


@pytest.fixture
def small_sources() -> pd.DataFrame:
    """One source whose publisher and title carry HTML, indexed like load_sources()."""
    return pd.DataFrame(
        {
            "kind": ["analysed document"],
            "publisher": ["Pub <b>"],
            "title": ["Title & <script>x</script>"],
        },
        index=pd.Index(["s"], name="source_id"),
    )
