"""Put the nbconvert template `report` where Jupyter finds it, from any folder.

nbconvert looks for `--template NAME` in `nbconvert/templates/NAME` under each folder of
`jupyter_core.paths.jupyter_path()`: $JUPYTER_PATH, the user's data folder, the environment's
`sys.prefix/share/jupyter`, then the system's. `install()` links the package's template into the
environment's folder, as `ipykernel install --sys-prefix` does for the kernel; a link, so an
editable install serves the template as edited. Set-up runs it: `python -m helpers.nbtemplate`.
"""

import os
import shutil
import sys
from pathlib import Path

from helpers.paths import TEMPLATES_DIR

TEMPLATE = "report"


def template_dir(prefix: Path) -> Path:
    """Where Jupyter looks for the template `report` in the environment at `prefix`."""
    return prefix / "share" / "jupyter" / "nbconvert" / "templates" / TEMPLATE


def install(prefix: Path | None = None) -> Path:
    """Link the package's template into `prefix` (default: this environment); return the link.

    Safe to run again: an older link or copy there is replaced, the link itself atomically.
    """
    link = template_dir(Path(prefix or sys.prefix))
    link.parent.mkdir(parents=True, exist_ok=True)
    if link.is_dir() and not link.is_symlink():  # a copy an older install left
        shutil.rmtree(link)
    fresh = link.with_name(f".{TEMPLATE}-{os.getpid()}")
    fresh.unlink(missing_ok=True)
    fresh.symlink_to(TEMPLATES_DIR / TEMPLATE, target_is_directory=True)
    fresh.replace(link)
    return link


if __name__ == "__main__":
    print(install())
