"""Shared fixtures: a copy of the fact base to break, the default reports built once."""

import os
import shutil
from pathlib import Path

import pytest

from helpers import build
from helpers.paths import DATA_DIR, PROJECT_ROOT

# Screenshots and other evidence a person may want to look at after a run; CI can keep the folder.
ARTIFACTS_DIR = Path(os.environ.get("AI_WAR_TEST_ARTIFACTS", PROJECT_ROOT / "test-artifacts"))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A copy of the real data/ folder that a test may change freely."""
    copy = tmp_path / "data"
    shutil.copytree(DATA_DIR, copy)
    return copy


@pytest.fixture(scope="session")
def published(tmp_path_factory) -> Path:
    """The default reports, French and English, HTML and PDF, built once in a folder of theirs."""
    reports = tmp_path_factory.mktemp("published")
    results = build.build(reports_dir=reports, log=lambda message: None)
    assert [result.status for result in results] == ["built", "built"]
    return reports


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS_DIR
