"""The project's PDF exporter prints a real A4 PDF with a system Chromium; nbconvert alone, on
an executed report, gives the build's PDF and HTML."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from jupyter_core.paths import jupyter_path
from pypdf import PdfReader

from helpers.browser import CHROMIUM_ENV, ChromiumNotFound, find_chromium
from helpers.nbtemplate import install, template_dir
from helpers.pdf_export import A4PDFExporter

FRENCH_TEXT = "Données à l'été : « garçon », déjà noté"
A4_POINTS = (595.3, 841.9)


@pytest.fixture
def french_notebook(tmp_path: Path) -> Path:
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [
        nbformat.v4.new_markdown_cell(f"# Essai\n\n{FRENCH_TEXT}"),
        nbformat.v4.new_code_cell("1 + 1", outputs=[]),
    ]
    path = tmp_path / "essai.ipynb"
    nbformat.write(notebook, path)
    return path


def assert_a4_with_french_text(pdf: Path) -> None:
    reader = PdfReader(pdf)
    box = reader.pages[0].mediabox
    assert float(box.width) == pytest.approx(A4_POINTS[0], abs=1.5)
    assert float(box.height) == pytest.approx(A4_POINTS[1], abs=1.5)
    text = " ".join(page.extract_text() for page in reader.pages)
    assert FRENCH_TEXT in " ".join(text.split())
    assert "1 / 1" in text  # the page number in the footer


def test_exporter_prints_a4_with_accents_and_page_numbers(french_notebook, tmp_path):
    pdf_bytes, resources = A4PDFExporter().from_filename(str(french_notebook))
    assert pdf_bytes.startswith(b"%PDF")
    assert resources["output_extension"] == ".pdf"
    out = tmp_path / "essai.pdf"
    out.write_bytes(pdf_bytes)
    assert_a4_with_french_text(out)


def test_exporter_is_registered_with_nbconvert(french_notebook, tmp_path):
    command = [sys.executable, "-m", "jupyter", "nbconvert", "--to", "a4pdf", "--output-dir",
               str(tmp_path / "out"), str(french_notebook)]  # fmt: skip
    subprocess.run(command, check=True, capture_output=True, timeout=180)
    assert_a4_with_french_text(tmp_path / "out" / "essai.pdf")


def test_a_chromium_named_in_the_environment_must_exist(monkeypatch, tmp_path):
    monkeypatch.setenv(CHROMIUM_ENV, str(tmp_path / "no-such-chromium"))
    with pytest.raises(ChromiumNotFound, match=f"{CHROMIUM_ENV}=.*not an executable file"):
        find_chromium()


def test_a_chromium_named_in_the_environment_is_used(monkeypatch):
    real = find_chromium()
    monkeypatch.setenv(CHROMIUM_ENV, str(real))
    assert find_chromium() == real


# --- nbconvert on its own, on what the build executed --------------------------------------------


def nbconvert(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess:
    """`jupyter nbconvert ARGS` run from `cwd` (outside the project), as a user would."""
    command = [sys.executable, "-m", "jupyter", "nbconvert", *args]
    return subprocess.run(command, cwd=cwd, env={**os.environ, **env}, capture_output=True,
                          text=True, timeout=300, check=True)  # fmt: skip


def page_texts(pdf: Path) -> list[str]:
    return [page.extract_text() for page in PdfReader(pdf).pages]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a4pdf_on_an_executed_report_prints_the_same_pdf_as_the_build(published, tmp_path, lang):
    executed = tmp_path / f"report-{lang}.ipynb"
    shutil.copy(published / "executed" / executed.name, executed)
    nbconvert("--to", "a4pdf", executed.name, cwd=tmp_path)
    alone, built = tmp_path / f"report-{lang}.pdf", published / f"report-{lang}.pdf"
    assert page_texts(alone) == page_texts(built)
    assert PdfReader(alone).trailer["/Root"]["/Lang"] == lang


def test_a4pdf_shows_outputs_without_code_or_stderr_in_the_notebooks_language(tmp_path):
    cell = nbformat.v4.new_code_cell("HIDDEN_CODE = 'x'")
    cell.outputs = [
        nbformat.v4.new_output("stream", name="stdout", text="Shown to readers\n"),
        nbformat.v4.new_output("stream", name="stderr", text="NOISE-ON-STDERR\n"),
    ]
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Essai"), cell])
    notebook.metadata["papermill"] = {"parameters": {"lang": "en"}}
    nbformat.write(notebook, tmp_path / "ran.ipynb")
    nbconvert("--to", "a4pdf", "ran.ipynb", cwd=tmp_path)
    text = " ".join(page_texts(tmp_path / "ran.pdf"))
    assert "Shown to readers" in text and "Essai" in text
    assert "HIDDEN_CODE" not in text and "NOISE-ON-STDERR" not in text
    assert PdfReader(tmp_path / "ran.pdf").trailer["/Root"]["/Lang"] == "en"


def test_the_report_template_is_found_from_any_folder(published, tmp_path):
    # set-up installs it into this environment's share/jupyter, a folder Jupyter searches
    assert template_dir(Path(sys.prefix)).parents[2] in map(Path, jupyter_path())
    prefix = tmp_path / "env"
    assert install(prefix) == template_dir(prefix)
    assert install(prefix) == template_dir(prefix)  # again: replaced, not nested
    shutil.copy(published / "executed" / "report-en.ipynb", tmp_path / "report-en.ipynb")
    shared = str(prefix / "share" / "jupyter")
    nbconvert("--to", "html", "--template", "report", "report-en.ipynb", cwd=tmp_path,
              JUPYTER_PATH=shared)  # fmt: skip
    html = (tmp_path / "report-en.html").read_bytes()
    assert html == (published / "report-en.html").read_bytes()


def outline_pdf(titles: list[str]) -> bytes:
    """A one-page PDF whose bookmarks have these titles, the first holding the others."""
    import io

    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    parent = writer.add_outline_item(title=titles[0], page_number=0)
    for title in titles[1:]:
        writer.add_outline_item(title=title, page_number=0, parent=parent)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def bookmarks(pdf: bytes) -> list[str]:
    import io

    from pdfpages import outline_titles

    return outline_titles(PdfReader(io.BytesIO(pdf)))


def test_a_bookmark_chromium_wrote_twice_is_written_once():
    from helpers.printing import repair_outline

    doubled = outline_pdf(["Report", "In brief", "TimelineTimeline", "Money"])
    assert bookmarks(repair_outline(doubled)) == ["Report", "In brief", "Timeline", "Money"]


def test_a_pdf_without_a_doubled_bookmark_is_left_byte_for_byte():
    from helpers.printing import repair_outline

    sound = outline_pdf(["Report", "In brief", "Money money"])
    assert repair_outline(sound) == sound


def test_a_printer_without_a_chromium_fails_each_print_saying_what_to_set(monkeypatch, tmp_path):
    """The printer looks for its Chromium in its own thread (the build starts it beside the
    checks): a wrong $AI_WAR_CHROMIUM fails every print with the reason, and the printer closes."""
    from helpers.printing import PdfPrinter

    monkeypatch.setenv(CHROMIUM_ENV, str(tmp_path / "no-such-chromium"))
    page = tmp_path / "page.html"
    page.write_text("<p>x</p>", encoding="utf-8")
    with PdfPrinter(thumbnails=False) as printer:
        job = printer.submit(page)
        with pytest.raises(ChromiumNotFound, match=f"{CHROMIUM_ENV}=.*not an executable file"):
            job.result(timeout=60)
