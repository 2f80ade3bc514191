"""Shared fixtures: a copy of the fact base to break, small tables for the pure functions."""

import shutil
from pathlib import Path

import pytest

from helpers.paths import DATA_DIR


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A copy of the real data/ folder that a test may change freely."""
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    return copy
