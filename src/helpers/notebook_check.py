"""Notebooks are committed without outputs: `python -m helpers.notebook_check FILE...` names
every notebook that holds outputs or execution counts and exits 1; the pre-commit hook runs it."""

import sys
from pathlib import Path

import nbformat


def executed_cells(path: Path) -> list[int]:
    """Indexes of the code cells of `path` that hold outputs or an execution count."""
    notebook = nbformat.read(path, as_version=4)
    return [
        index
        for index, cell in enumerate(notebook.cells)
        if cell.cell_type == "code" and (cell.outputs or cell.execution_count is not None)
    ]


def main(argv: list[str] | None = None) -> int:
    paths = [Path(arg) for arg in (sys.argv[1:] if argv is None else argv)]
    found = {path: executed_cells(path) for path in paths}
    for path, cells in found.items():
        if cells:
            listed = ", ".join(map(str, cells))
            print(f"{path}: cells {listed} hold outputs; clear them before committing "
                  "(JupyterLab: Edit > Clear Outputs of All Cells)", file=sys.stderr)  # fmt: skip
    return 1 if any(found.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
