"""Every path of the project, resolved once from the project root, never from the working dir."""

import os
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_DIR.parents[1]  # src/helpers/ -> project root (editable install)

# The fact base; $AI_WAR_DATA_DIR points a run at another copy (tests, synthetic benchmarks).
DATA_DIR = Path(os.environ.get("AI_WAR_DATA_DIR") or PROJECT_ROOT / "data").resolve()
# A build proves every table plain before its kernels start; it names the files it proved in this
# variable of their environment, each by what stat(2) said of it before it was read (size,
# modification and change times in ns, inode). A kernel that finds a file as it was proved reads
# it without proving it again (helpers.csvscan); any other file, or any other kernel (papermill
# alone), proves it. Named here, not in csvscan: a build's workers set it without loading pandas.
PROVEN_FILES = "AI_WAR_PROVEN_CSV"
# Likewise the sha256 the build has just computed of each file of the fact base (its input
# hashes), by absolute path, after what stat(2) said of the file: the method section, which
# lists them, does not read 100 MB again at 1000x the facts.
KNOWN_SHA256 = "AI_WAR_KNOWN_SHA256"
NOTEBOOKS_DIR = PROJECT_ROOT / "notebooks"
REPORTS_DIR = PROJECT_ROOT / "reports"
TEMPLATES_DIR = PACKAGE_DIR / "templates"
REPORT_NOTEBOOK = NOTEBOOKS_DIR / "report.ipynb"
# Where `ai-war preview` keeps the charts it drew, by content key (see helpers.report.figure_key):
# set in its kernel only; unset (the build), every chart is drawn.
FIGURE_CACHE_DIR = (
    Path(os.environ["AI_WAR_FIGURE_CACHE"]) if os.environ.get("AI_WAR_FIGURE_CACHE") else None
)
