"""environment.yml for conda, mamba and micromamba, written from requirements.lock.

Its pip section lists the locked pins themselves, one `name==version` a line: micromamba copies
the pip entries into a temporary requirements file elsewhere and runs pip on it, so a
`-r requirements.lock` there is looked for beside that temporary file and a `-e .` in
whatever folder pip runs from (mamba-org/mamba#1894). The project itself, its kernel, its
nbconvert template and a Chromium come after, from the project's folder (README, Environments).
`make lock` rewrites it; a test keeps it equal to what this module writes.
"""

import re
import sys
from pathlib import Path

from helpers.paths import PROJECT_ROOT

ENVIRONMENT_FILE = PROJECT_ROOT / "environment.yml"
LOCK_FILE = PROJECT_ROOT / "requirements.lock"
PYTHON = "3.11"  # CI's; 3.12 and 3.13 work too (make check-python)
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*==[^\s;#]+)\s*$")

HEADER = """\
# conda / mamba / micromamba: `mamba env create -f environment.yml` (or `micromamba create -f
# environment.yml`), then, in the project's folder with the environment active, the steps of the
# README (Environments): the project, its Jupyter kernel, its nbconvert template, a Chromium.
# Written from requirements.lock by `python -m helpers.condaenv` (`make lock`): do not edit.
"""


def locked_pins(lock_text: str) -> list[str]:
    """The `name==version` lines of a requirements.lock, in its order."""
    pins = []
    for line in lock_text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            if not (pin := _PIN.match(line.strip())):
                raise ValueError(
                    f"requirements.lock: {line.strip()!r} is not a plain name==version"
                )
            pins.append(pin.group(1))
    return pins


def render(lock_text: str, python: str = PYTHON) -> str:
    """The text of environment.yml for the pins of `lock_text`."""
    lines = [HEADER + "name: ai-war-report", "channels:", "  - conda-forge", "dependencies:"]
    lines += [f"  - python={python}", "  - pip", "  - pip:"]
    lines += [f"      - {pin}" for pin in locked_pins(lock_text)]
    return "\n".join(lines) + "\n"


def main(target: Path = ENVIRONMENT_FILE) -> int:
    target.write_text(render(LOCK_FILE.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
