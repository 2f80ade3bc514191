"""Small projects for build tests: a reports.toml beside a copy of the report notebook."""

import shutil
import sys
from pathlib import Path

import nbformat

from helpers import build
from helpers.paths import REPORT_NOTEBOOK

QUIET = {"log": lambda message: None}
AI_WAR = str(Path(sys.executable).with_name("ai-war"))


def project(tmp_path: Path, reports: str, notebook_cells: list | None = None) -> Path:
    """A reports.toml in `tmp_path` beside a copy of the report notebook (or a small one)."""
    (tmp_path / "notebooks").mkdir(exist_ok=True)
    if notebook_cells is None:
        shutil.copy(REPORT_NOTEBOOK, tmp_path / "notebooks" / "report.ipynb")
    else:
        notebook = nbformat.v4.new_notebook(cells=notebook_cells)
        notebook.metadata.kernelspec = {
            "name": build.KERNEL_NAME,
            "display_name": "x",
            "language": "python",
        }
        nbformat.write(notebook, tmp_path / "notebooks" / "report.ipynb")
    config = tmp_path / "reports.toml"
    config.write_text(
        '[defaults]\nnotebook = "notebooks/report.ipynb"\n' + reports, encoding="utf-8"
    )
    return config


def small_notebook(body: str) -> list:
    """The cells of a one-parameter notebook that runs `body`."""
    parameters = nbformat.v4.new_code_cell(
        'lang: str = "en"  # language: "fr" or "en"', metadata={"tags": ["parameters"]}
    )
    return [parameters, nbformat.v4.new_markdown_cell("# Small"), nbformat.v4.new_code_cell(body)]
