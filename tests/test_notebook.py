"""The report notebook run by Papermill, as the build, a scheduler or an analyst runs it."""

import json
import subprocess
import sys
from pathlib import Path

import nbformat
import papermill
import pytest

from helpers.build import KERNEL_NAME
from helpers.paths import NOTEBOOKS_DIR, PROJECT_ROOT, REPORT_NOTEBOOK

EXPECTED_TEXT = {
    "fr": ("Données arrêtées au", "événements datés par l'article"),
    "en": ("Data as of", "events dated by the article"),
}


def outputs_of(notebook: nbformat.NotebookNode) -> list[dict]:
    return [
        output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs
    ]


def text_of(outputs: list[dict]) -> str:
    return json.dumps(outputs, ensure_ascii=False)


def test_committed_notebook_has_no_outputs_and_a_tagged_parameters_cell():
    notebook = nbformat.read(REPORT_NOTEBOOK, as_version=4)
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert all(not cell.outputs and cell.execution_count is None for cell in code_cells)
    assert "parameters" in code_cells[0].metadata.get("tags", [])
    assert notebook.metadata.kernelspec.name == KERNEL_NAME


def test_parameters_are_declared_with_types_and_help():
    declared = papermill.inspect_notebook(str(REPORT_NOTEBOOK))
    assert set(declared) == {"lang", "as_of"}
    assert declared["lang"]["inferred_type_name"] == "str"
    assert declared["as_of"]["inferred_type_name"] == "str"
    assert all(parameter["help"] for parameter in declared.values())


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_notebook_runs_in_each_language_without_errors(lang, tmp_path):
    out = tmp_path / f"report-{lang}.ipynb"
    executed = papermill.execute_notebook(
        str(REPORT_NOTEBOOK), str(out), parameters={"lang": lang}, cwd=str(NOTEBOOKS_DIR),
        progress_bar=False,
    )  # fmt: skip
    outputs = outputs_of(executed)
    assert not [output for output in outputs if output.get("output_type") == "error"]
    assert any("image/png" in output.get("data", {}) for output in outputs)
    text = text_of(outputs)
    for expected in EXPECTED_TEXT[lang]:
        assert expected in text


def test_plain_papermill_command_works_from_the_repository_root(tmp_path):
    out = tmp_path / "out.ipynb"
    papermill_cli = Path(sys.executable).with_name("papermill")
    subprocess.run(
        [str(papermill_cli), "notebooks/report.ipynb", str(out), "-p", "lang", "en"],
        cwd=PROJECT_ROOT, check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    executed = nbformat.read(out, as_version=4)
    assert "events dated by the article" in text_of(outputs_of(executed))


def test_notebook_runs_from_its_own_folder_with_the_project_kernel(tmp_path):
    """As JupyterLab runs it: working directory notebooks/, kernel of the project, defaults."""
    from nbclient import NotebookClient

    notebook = nbformat.read(REPORT_NOTEBOOK, as_version=4)
    client = NotebookClient(
        notebook, kernel_name=KERNEL_NAME, resources={"metadata": {"path": str(NOTEBOOKS_DIR)}}
    )
    client.execute()
    outputs = outputs_of(notebook)
    assert not [output for output in outputs if output.get("output_type") == "error"]
    assert "Données arrêtées au" in text_of(outputs)  # the default language is French
