"""Shared fixtures: small fact tables written to a temporary data folder."""

from pathlib import Path

import pytest

EVENTS_HEADER = (
    "event_id,date,date_precision,kind,actors,title_en,title_fr,source_id,quote,"
    "assertion,asserted_by,note\n"
)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A data folder with three events of each date precision and one source."""
    (tmp_path / "events.csv").write_text(
        EVENTS_HEADER
        + "a,2015,year,founding,x,Founded,Fondée,s,q,fact,p,\n"
        + "b,2018-02,month,departure,x,Left the board,Quitte le conseil,s,q,fact,p,\n"
        + "c,2024-12-24,day,interview,x,Interview,Entretien,s,q,fact,p,\n",
        encoding="utf-8",
    )
    (tmp_path / "sources.csv").write_text(
        "source_id,kind,publisher,title,url,language,published,archived_path\n"
        "s,press article,Pub <b>,Title & <script>x</script>,,fr,,\n",
        encoding="utf-8",
    )
    return tmp_path
