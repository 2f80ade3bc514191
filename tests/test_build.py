"""The build publishes HTML and PDF per language, safely."""

import re

import nbformat
import papermill
import pytest
from pypdf import PdfReader

from helpers import build
from helpers.params import ParameterError


@pytest.fixture(scope="module")
def english_build(tmp_path_factory):
    reports = tmp_path_factory.mktemp("reports")
    written = build.build_report("en", reports_dir=reports)
    return reports, written


def test_build_writes_html_pdf_and_the_executed_notebook(english_build):
    reports, written = english_build
    assert sorted(path.name for path in written) == ["report-en.html", "report-en.pdf"]
    assert (reports / "executed" / "report-en.ipynb").exists()
    assert not list(reports.glob(".staging-*"))  # nothing half-built is left behind


def test_html_is_in_its_language_with_code_hidden_and_no_cdn_script(english_build):
    reports, _ = english_build
    html = (reports / "report-en.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in html
    assert "<title>The AI war: Musk versus Altman</title>" in html
    assert re.search(r"<h1[^>]*>The AI war: Musk versus Altman<", html)
    assert "La guerre de l" not in html  # the French cells are left out
    assert "Analyst note" not in html
    assert "check_parameters" not in html  # no code input
    assert "<script src=" not in html
    assert "data:image/png;base64" in html


def test_pdf_is_a4_and_in_its_language(english_build):
    reports, _ = english_build
    reader = PdfReader(reports / "report-en.pdf")
    assert float(reader.pages[0].mediabox.width) == pytest.approx(595.3, abs=1.5)
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Chronology" in text and "Chronologie" not in text


def test_bad_parameters_stop_the_build_before_any_kernel(monkeypatch, tmp_path):
    def no_kernel(*args, **kwargs):
        raise AssertionError("a kernel was started")

    monkeypatch.setattr(papermill, "execute_notebook", no_kernel)
    with pytest.raises(ParameterError, match="parameter 'lang'"):
        build.build_report("de", reports_dir=tmp_path)
    with pytest.raises(ParameterError, match="parameter 'as_of'"):
        build.build_report("en", as_of="yesterday", reports_dir=tmp_path)
    assert build.main(["--lang", "fr", "xx"]) == 2


def test_a_failing_run_keeps_the_published_report(monkeypatch, tmp_path):
    published = tmp_path / "report-en.html"
    published.write_text("last good report", encoding="utf-8")
    broken = nbformat.v4.new_notebook()
    broken.metadata.kernelspec = {
        "name": build.KERNEL_NAME,
        "display_name": "x",
        "language": "python",
    }
    broken.cells = [
        nbformat.v4.new_code_cell('lang = "fr"\nas_of = ""', metadata={"tags": ["parameters"]}),
        nbformat.v4.new_code_cell("raise RuntimeError('boom')"),
    ]
    notebook = tmp_path / "broken.ipynb"
    nbformat.write(broken, notebook)
    monkeypatch.setattr(build, "REPORT_NOTEBOOK", notebook)
    with pytest.raises(papermill.PapermillExecutionError, match="boom"):
        build.build_report("en", reports_dir=tmp_path)
    assert published.read_text(encoding="utf-8") == "last good report"
    failed = nbformat.read(tmp_path / "executed" / "report-en.failed.ipynb", as_version=4)
    assert "papermill-error-cell-tag" in str(failed.cells)


def test_invalid_data_stops_the_build_before_any_kernel(monkeypatch, capsys):
    from helpers.validate import Problem

    def no_kernel(*args, **kwargs):
        raise AssertionError("a kernel was started")

    monkeypatch.setattr(papermill, "execute_notebook", no_kernel)
    broken = [Problem("events.csv", 7, "date", "'2018-02-30' is not a real date")]
    monkeypatch.setattr(build, "validate", lambda: broken)
    assert build.main(["--lang", "en"]) == 2
    err = capsys.readouterr().err
    assert "data/events.csv, row 7, field date: '2018-02-30' is not a real date" in err
    assert "nothing was built" in err
