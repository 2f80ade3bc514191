"""A build with nothing to do reads no unchanged file, yet still notices every real change.

The hashes of the inputs and of the published files are remembered in reports/state/ by what
stat says of each file (size, mtime, ctime, inode), as git's index does; these tests change
files in the ways that could fool such a cache.
"""

import hashlib
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path

from projects import QUIET, project, small_notebook

from helpers import build
from helpers.build import HASHES, HashCache
from helpers.paths import DATA_DIR

SMALL = '[[report]]\nname = "small"\nformats = ["html"]\nstale_after_days = 100000\n'


def same_size_edit(path, old: bytes, new: bytes) -> None:
    """Replace `old` by `new` (as long) in the file at `path`, in place, and set its
    modification time back to what it was, as `rsync -t`, `cp -p` or `touch -r` would."""
    assert len(old) == len(new)
    before = path.stat()
    content = path.read_bytes()
    assert old in content
    path.write_bytes(content.replace(old, new, 1))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)


def test_a_same_size_edit_with_its_time_set_back_is_seen_by_the_cache(tmp_path, monkeypatch):
    monkeypatch.setattr(build, "RACY_NS", 0)  # every file old enough to be remembered
    path = tmp_path / "facts.csv"
    path.write_bytes(b"id,amount\na,1000\n")
    cache = HashCache(tmp_path / HASHES)
    assert cache.sha256(path) == hashlib.sha256(b"id,amount\na,1000\n").hexdigest()
    cache.save()
    assert json.loads((tmp_path / HASHES).read_text())[str(path)][4] == cache.sha256(path)
    same_size_edit(path, b"1000", b"1100")
    again = HashCache(tmp_path / HASHES)
    assert again.sha256(path) == hashlib.sha256(b"id,amount\na,1100\n").hexdigest()


def test_a_file_changed_just_before_it_was_hashed_is_not_remembered(tmp_path):
    path = tmp_path / "facts.csv"
    path.write_bytes(b"id\na\n")  # changed now: a second change in the same tick could hide
    cache = HashCache(tmp_path / HASHES)
    cache.sha256(path)
    cache.save()
    assert not (tmp_path / HASHES).exists()


def test_an_unreadable_cache_is_ignored(tmp_path, monkeypatch):
    monkeypatch.setattr(build, "RACY_NS", 0)
    path = tmp_path / "facts.csv"
    path.write_bytes(b"id\na\n")
    for damage in (b"{", b"[]", b'{"x": 1}', json.dumps({str(path): [1, 2, 3, 4, 5]}).encode()):
        (tmp_path / HASHES).write_bytes(damage)
        assert HashCache(tmp_path / HASHES).sha256(path) == hashlib.sha256(b"id\na\n").hexdigest()


def small_edition(tmp_path: Path) -> tuple[Path, Path, Callable[[], list[build.RunResult]]]:
    """A copy of the fact base, the reports folder of a small edition, and its build."""
    data = tmp_path / "data"
    shutil.copytree(DATA_DIR, data)
    config = project(tmp_path, SMALL, small_notebook('print("a small edition")'))
    reports = tmp_path / "reports"
    return (
        data,
        reports,
        lambda: build.build(config=config, reports_dir=reports, data_dir=data, **QUIET),
    )


def test_a_no_op_build_still_rebuilds_after_a_same_size_edit_of_the_data(tmp_path, monkeypatch):
    monkeypatch.setattr(build, "RACY_NS", 0)  # remembered at once: the cache is surely used
    data, reports, run = small_edition(tmp_path)
    assert [r.status for r in run()] == ["built"]
    assert [r.status for r in run()] == ["up to date"]
    remembered = json.loads((reports / "state" / HASHES).read_text())
    amounts = data / "amounts.csv"
    assert str(amounts) in remembered  # the no-op read it from the cache, not from the file
    assert str(reports / "small.html") in remembered
    assert [r.status for r in run()] == ["up to date"]
    same_size_edit(amounts, b",investment,1000000000", b",investment,1100000000")
    assert [r.status for r in run()] == ["built"]
    assert [r.status for r in run()] == ["up to date"]
    # a published file edited in place, same length, its time set back: built again
    page = reports / "small.html"
    same_size_edit(page, b"a small edition", b"A SMALL EDITION")
    assert [r.status for r in run()] == ["built"]
    assert b"a small edition" in page.read_bytes()


def test_a_no_op_build_takes_the_data_dates_from_the_manifest_and_ages_them(tmp_path, monkeypatch):
    data, reports, run = small_edition(tmp_path)
    assert [r.status for r in run()] == ["built"]
    assert [r.status for r in run()] == ["up to date"]
    recorded = json.loads((reports / "manifest.json").read_text())["data"]
    read = []
    monkeypatch.setattr(build, "freshness", lambda *args, **kw: read.append(args) or recorded)
    assert [r.status for r in run()] == ["up to date"]
    assert read == []  # the data was not read again: its files did not change
    assert json.loads((reports / "manifest.json").read_text())["data"] == recorded
    # a new record of how far the public record was checked: the dates are read again
    package = data / "datapackage.json"
    package.write_text(
        package.read_text().replace('"recordCheckedThrough"', '"recordCheckedThrough" ', 1)
    )
    run()
    assert len(read) == 1
