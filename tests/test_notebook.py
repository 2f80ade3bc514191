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
    "fr": (
        "Données arrêtées au",
        "Ce rapport suit",
        "Réseau de",
        "Combien Musk a-t-il donné",
    ),
    "en": ("Data as of", "This report follows", "Network of", "How much did Musk give"),
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
    assert set(declared) == {"lang", "as_of", "include_public_record", "focus"}
    assert declared["lang"]["inferred_type_name"] == "str"
    assert declared["as_of"]["inferred_type_name"] == "str"
    assert declared["include_public_record"]["inferred_type_name"] == "bool"
    assert declared["focus"]["inferred_type_name"] == "str"
    assert all(parameter["help"] for parameter in declared.values())


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_notebook_runs_in_each_language_without_errors(lang, tmp_path):
    out = tmp_path / f"report-{lang}.ipynb"
    executed = papermill.execute_notebook(
        str(REPORT_NOTEBOOK),
        str(out),
        parameters={"lang": lang},
        cwd=str(NOTEBOOKS_DIR),
        progress_bar=False,
    )
    outputs = outputs_of(executed)
    assert not [output for output in outputs if output.get("output_type") == "error"]
    assert not [output for output in outputs if output.get("name") == "stderr"]  # no warning either
    assert sum(text_of([o]).count("data:image/png;base64") for o in outputs) == 5  # five figures
    text = text_of(outputs)
    for expected in EXPECTED_TEXT[lang]:
        assert expected in text


def test_plain_papermill_command_works_from_the_repository_root(tmp_path):
    out = tmp_path / "out.ipynb"
    papermill_cli = Path(sys.executable).with_name("papermill")
    subprocess.run(
        [str(papermill_cli), "notebooks/report.ipynb", str(out), "-p", "lang", "en"],
        cwd=PROJECT_ROOT,
        check=True,
        capture_output=True,
        timeout=300,
    )
    executed = nbformat.read(out, as_version=4)
    assert "This report follows" in text_of(outputs_of(executed))


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


@pytest.mark.parametrize(
    ("parameters", "expected", "absent"),
    [
        ({"lang": "en", "as_of": "2024-12-31"}, "Data as of December 31, 2024", "Ninth Circuit"),
        (
            {"lang": "fr", "include_public_record": False},
            "ne retient que ce que dit l",
            "Déclic",
        ),
        ({"lang": "en", "focus": "meta"}, "Actors followed: Meta.", "SpaceX"),
    ],
    ids=["as-of", "article-only", "focus"],
)
def test_notebook_parameters_shape_the_report(parameters, expected, absent, tmp_path):
    executed = papermill.execute_notebook(
        str(REPORT_NOTEBOOK),
        str(tmp_path / "out.ipynb"),
        parameters=parameters,
        cwd=str(NOTEBOOKS_DIR),
        progress_bar=False,
    )
    outputs = outputs_of(executed)
    assert not [output for output in outputs if output.get("output_type") == "error"]
    text = text_of(outputs)
    assert expected in text
    assert absent not in text
