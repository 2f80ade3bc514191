"""The declared, locked and conda environments agree."""

import re
import tomllib

import pytest
import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

from helpers.condaenv import render
from helpers.paths import PROJECT_ROOT

PYPROJECT = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def locked_versions() -> dict[str, str]:
    text = (PROJECT_ROOT / "requirements.lock").read_text(encoding="utf-8")
    pins = re.findall(r"^([A-Za-z0-9_.\-]+)==([^\s;]+)", text, flags=re.MULTILINE)
    return {re.sub(r"[-_.]+", "-", name).lower(): version for name, version in pins}


def declared_requirements() -> list[Requirement]:
    project = PYPROJECT["project"]
    extras = [req for group in project["optional-dependencies"].values() for req in group]
    return [Requirement(req) for req in project["dependencies"] + extras]


def test_every_declared_dependency_is_locked_at_a_version_it_allows():
    locked = locked_versions()
    for requirement in declared_requirements():
        name = re.sub(r"[-_.]+", "-", requirement.name).lower()
        assert name in locked, f"{requirement.name} is declared but not in requirements.lock"
        assert requirement.specifier.contains(locked[name]), (
            f"{name}=={locked[name]} vs {requirement}"
        )


def conda_environment() -> dict:
    return yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8"))


def test_conda_environment_matches_pyproject():
    dependencies = conda_environment()["dependencies"]
    pythons = [dep for dep in dependencies if isinstance(dep, str) and dep.startswith("python=")]
    assert len(pythons) == 1
    conda_python = pythons[0].split("=", 1)[1]
    assert SpecifierSet(PYPROJECT["project"]["requires-python"]).contains(f"{conda_python}.0")


def test_conda_pip_entries_are_the_locked_pins_in_a_form_micromamba_installs():
    """micromamba runs pip on a copy of the entries in a temporary file elsewhere: `-r` and `-e`
    would be looked for beside that file (mamba-org/mamba#1894). Each entry is a plain pin."""
    dependencies = conda_environment()["dependencies"]
    (pip_section,) = [dep["pip"] for dep in dependencies if isinstance(dep, dict)]
    pins = {}
    for entry in pip_section:
        assert not entry.startswith("-"), f"{entry!r}: an option, which micromamba breaks"
        requirement = Requirement(entry)
        assert requirement.url is None and not requirement.marker, entry
        (specifier,) = requirement.specifier
        assert specifier.operator == "==", entry
        pins[re.sub(r"[-_.]+", "-", requirement.name).lower()] = specifier.version
    assert pins == locked_versions()


def test_environment_yml_is_written_from_the_lock():
    lock = (PROJECT_ROOT / "requirements.lock").read_text(encoding="utf-8")
    assert (PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8") == render(lock)
    with pytest.raises(ValueError, match=re.escape("'-e .' is not a plain name==version")):
        render(lock + "-e .\n")
