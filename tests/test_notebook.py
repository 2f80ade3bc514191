"""The report notebook run by Papermill, as the build, a scheduler or an analyst runs it."""

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import papermill
import pytest

from helpers.build import KERNEL_NAME
from helpers.notebook_check import executed_cells
from helpers.paths import NOTEBOOKS_DIR, PROJECT_ROOT, REPORT_NOTEBOOK
from helpers.report import PAGE_MIMETYPE
from helpers.report.sections import section_keys

EXPECTED_TEXT = {
    "fr": (
        "Données arrêtées au",
        "Ce rapport suit",
        "Liste de",
        "Combien Musk a-t-il donné",
    ),
    "en": ("Data as of", "This report follows", "List of", "How much did Musk give"),
}


def outputs_of(notebook: nbformat.NotebookNode) -> list[dict]:
    return [
        output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs
    ]


def text_of(outputs: list[dict]) -> str:
    return json.dumps(outputs, ensure_ascii=False)


def test_committed_notebook_has_no_outputs_and_a_tagged_parameters_cell():
    for path in NOTEBOOKS_DIR.glob("*.ipynb"):
        assert executed_cells(path) == [], path
    notebook = nbformat.read(REPORT_NOTEBOOK, as_version=4)
    code_cells = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert "parameters" in code_cells[0].metadata.get("tags", [])
    assert notebook.metadata.kernelspec.name == KERNEL_NAME


def test_the_pre_commit_hook_refuses_a_notebook_with_outputs(tmp_path):
    """The hook that setup installs, run by a real `git commit`."""
    repo = tmp_path / "repo"
    shutil.copytree(PROJECT_ROOT / ".githooks", repo / ".githooks")
    (repo / ".venv").symlink_to(Path(sys.executable).parents[1])  # the environment running
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    subprocess.run([*git, "config", "core.hooksPath", ".githooks"], check=True)
    notebook = nbformat.read(REPORT_NOTEBOOK, as_version=4)
    nbformat.write(notebook, repo / "clean.ipynb")
    subprocess.run([*git, "add", "clean.ipynb"], check=True)
    assert subprocess.run([*git, "commit", "-qm", "clean"], capture_output=True).returncode == 0
    notebook.cells[2].outputs = [nbformat.v4.new_output("stream", name="stdout", text="x")]
    notebook.cells[2].execution_count = 1
    nbformat.write(notebook, repo / "run.ipynb")
    subprocess.run([*git, "add", "run.ipynb"], check=True)
    refused = subprocess.run([*git, "commit", "-qm", "run"], capture_output=True, text=True)
    assert refused.returncode != 0
    assert "run.ipynb: cells 2 hold outputs" in refused.stderr


def test_the_notebook_is_in_no_language_and_has_one_cell_per_section_in_order():
    notebook = nbformat.read(REPORT_NOTEBOOK, as_version=4)
    tags = {tag for cell in notebook.cells for tag in cell.metadata.get("tags", [])}
    assert not {tag for tag in tags if tag.startswith("lang-")}
    shown = [
        match.group(1)
        for cell in notebook.cells
        if (match := re.fullmatch(r'edition\.section\("([a-z-]+)"\)', cell.source.strip()))
    ]
    keys = section_keys()
    assert set(shown) <= set(keys)  # no cell names a section that does not exist
    assert shown == [key for key in keys if key in shown]  # and they come in report order
    assert notebook.cells[-1].source.strip() == "edition.page()"
    markdown = " ".join(cell.source for cell in notebook.cells if cell.cell_type == "markdown")
    assert "ai-war build" in markdown and "parameters" in markdown  # how to re-run and publish


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
    pages = [o for o in outputs if PAGE_MIMETYPE in o.get("data", {})]
    assert len(pages) == 1 and pages[0]["data"]["text/plain"]  # the page, summed up in a line
    shown = [o for o in outputs if o not in pages]
    assert text_of(shown).count("<svg") == 10  # each figure in its section (desk, phone)
    assert text_of(pages).count("<svg") == 10  # and in the published page
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
