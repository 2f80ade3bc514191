"""The parameters a notebook declares in its `parameters` cell, and checks against them.

Papermill reads the cell (`name: type = default  # help`) but does not check what it injects
(nteract/papermill#55); these checks run before any kernel starts. A help text listing quoted
values joined by 'or' ('"fr" or "en"') declares the allowed values.
"""

import ast
import re
from dataclasses import dataclass
from pathlib import Path

from helpers.params import ParameterError

TYPES = {"str": str, "bool": bool, "int": int, "float": float}
QUOTED_CHOICES = re.compile(r'"[^"]*"(?:\s*(?:,|or)\s*"[^"]*")+')


@dataclass(frozen=True)
class Declared:
    """One declared parameter."""

    name: str
    type_name: str
    default: object
    help: str
    allowed: tuple[object, ...] = ()


def allowed_values(help_text: str) -> tuple[str, ...]:
    """The values a help text allows: '"fr" or "en"' gives ('fr', 'en'); none otherwise."""
    match = QUOTED_CHOICES.search(help_text)
    return tuple(re.findall(r'"([^"]*)"', match.group(0))) if match else ()


def declared_parameters(notebook: Path) -> dict[str, Declared]:
    """The parameters of `notebook`'s `parameters` cell, with types, defaults, help, choices."""
    import papermill  # here: importing papermill is only worth it when checking

    declared = {}
    for name, info in papermill.inspect_notebook(str(notebook)).items():
        default = ast.literal_eval(info["default"]) if info["default"] else None
        declared[name] = Declared(
            name, info["inferred_type_name"], default, info["help"], allowed_values(info["help"])
        )
    return declared


def check_against(declared: dict[str, Declared], values: dict[str, object]) -> None:
    """Raise ParameterError naming the first parameter that is unknown, mistyped or not allowed."""
    for name, value in values.items():
        if name not in declared:
            raise ParameterError(
                f"unknown parameter {name!r}: the notebook declares {', '.join(declared)}"
            )
        spec = declared[name]
        expected = TYPES.get(spec.type_name)
        if expected is not None:
            wrong = not isinstance(value, expected) or (
                expected is not bool and isinstance(value, bool)
            )
            if expected is float and isinstance(value, int) and not isinstance(value, bool):
                wrong = False
            if wrong:
                raise ParameterError(
                    f"parameter {name!r} must be of type {spec.type_name}, got {value!r}"
                )
        if spec.allowed and value not in spec.allowed:
            choices = ", ".join(repr(choice) for choice in spec.allowed)
            raise ParameterError(f"parameter {name!r}: {value!r} is not one of {choices}")


def describe(declared: dict[str, Declared]) -> str:
    """A readable table of the declared parameters, for `ai-war params`."""
    lines = []
    for spec in declared.values():
        choices = f" (one of {', '.join(map(repr, spec.allowed))})" if spec.allowed else ""
        lines.append(f"{spec.name}: {spec.type_name} = {spec.default!r}{choices}\n    {spec.help}")
    return "\n".join(lines)
