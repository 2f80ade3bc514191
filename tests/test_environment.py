"""The declared, locked and conda environments agree."""

import re
import tomllib

import yaml
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet

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


def test_conda_environment_matches_pyproject():
    environment = yaml.safe_load((PROJECT_ROOT / "environment.yml").read_text(encoding="utf-8"))
    dependencies = environment["dependencies"]
    pythons = [dep for dep in dependencies if isinstance(dep, str) and dep.startswith("python=")]
    assert len(pythons) == 1
    conda_python = pythons[0].split("=", 1)[1]
    assert SpecifierSet(PYPROJECT["project"]["requires-python"]).contains(f"{conda_python}.0")
    pip_section = next(dep["pip"] for dep in dependencies if isinstance(dep, dict))
    assert "-r requirements.lock" in pip_section  # the same pins as the Makefile's install
    assert "-e ." in pip_section  # and the project itself
