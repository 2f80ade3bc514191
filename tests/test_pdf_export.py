"""The project's PDF exporter prints a real A4 PDF with a system Chromium."""

import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from pypdf import PdfReader

from helpers.browser import CHROMIUM_ENV, ChromiumNotFound, find_chromium
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
