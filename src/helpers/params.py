"""The report's parameters, declared once: names, types, defaults, help and choices.

The CLI (`ai-war params`, `ai-war build`), the build's checks before any kernel starts and the
notebook (`open_edition`) all check values against `PARAMETERS`. Papermill itself checks nothing
it injects (nteract/papermill#55). A test keeps the notebook's `parameters` cell equal to this.
"""

import ast
import datetime as dt
import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from helpers.i18n import LANGUAGES


class ParameterError(ValueError):
    """A report parameter that cannot be used; the message names the parameter."""


@dataclass(frozen=True)
class Parameter:
    """One parameter of the report notebook."""

    name: str
    type: type
    default: object
    help: str
    choices: tuple[object, ...] = ()


PARAMETERS: tuple[Parameter, ...] = (
    Parameter("lang", str, "fr", "language of the report", LANGUAGES),
    Parameter(
        "as_of",
        str,
        "",
        "ISO date (YYYY-MM-DD); facts after it are left out; empty: newest in data",
    ),
    Parameter(
        "include_public_record",
        bool,
        True,
        "False: the analysed article alone, without the record",
    ),
    Parameter("focus", str, "", 'comma-separated actor ids to follow, e.g. "musk,altman"'),
)
BY_NAME = {parameter.name: parameter for parameter in PARAMETERS}
TYPE_WORDS = {str: "a string", bool: "True or False", int: "an integer", float: "a number"}
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ACTOR_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class ReportParameters:
    """The checked parameters of one report."""

    lang: str
    as_of: dt.date | None  # None: up to the newest fact in the data
    include_public_record: bool = True  # False: the analysed article alone
    focus: tuple[str, ...] = ()  # actor ids; empty: every actor


def _checked(parameter: Parameter, value: object) -> object:
    """`value` if it has the parameter's type and is one of its choices."""
    if not isinstance(value, parameter.type) or (
        parameter.type is not bool and isinstance(value, bool)
    ):
        raise ParameterError(
            f"parameter {parameter.name!r} must be {TYPE_WORDS[parameter.type]}, got {value!r}"
        )
    if parameter.choices and value not in parameter.choices:
        choices = ", ".join(repr(choice) for choice in parameter.choices)
        raise ParameterError(f"parameter {parameter.name!r}: {value!r} is not one of {choices}")
    return value


def _as_of(text: str) -> dt.date | None:
    if not text:
        return None
    try:
        if not ISO_DATE.match(text):
            raise ValueError(text)
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ParameterError(
            f"parameter 'as_of': {text!r} is not an ISO date (YYYY-MM-DD)"
        ) from None


def _focus(text: str, known_actors: Collection[str] | None) -> tuple[str, ...]:
    focus = tuple(part.strip() for part in text.split(",") if part.strip())
    for actor in focus:
        if not ACTOR_ID.match(actor):
            raise ParameterError(f"parameter 'focus': {actor!r} is not an actor id")
        if known_actors is not None and actor not in known_actors:
            raise ParameterError(
                f"parameter 'focus': unknown actor {actor!r} (see data/actors.csv)"
            )
    return focus


def check_parameters(
    known_actors: Collection[str] | None = None, **values: object
) -> ReportParameters:
    """Check the parameters of a report run against `PARAMETERS` and return them typed.

    Raises ParameterError naming the parameter for an unknown name, a wrong type, a value not
    among its choices, a date that is not ISO (YYYY-MM-DD), or a focus actor not in
    `known_actors`.
    """
    unknown = sorted(set(values) - set(BY_NAME))
    if unknown:
        raise ParameterError(
            f"unknown parameter {unknown[0]!r}: the report takes {', '.join(BY_NAME)}"
        )
    checked = {
        name: _checked(parameter, values.get(name, parameter.default))
        for name, parameter in BY_NAME.items()
    }
    return ReportParameters(
        lang=checked["lang"],
        as_of=_as_of(checked["as_of"]),
        include_public_record=checked["include_public_record"],
        focus=_focus(checked["focus"], known_actors),
    )


def describe() -> str:
    """The parameters as a readable table, for `ai-war params`."""
    lines = []
    for parameter in PARAMETERS:
        choices = parameter.choices
        one_of = f" (one of {', '.join(map(repr, choices))})" if choices else ""
        line = f"{parameter.name}: {parameter.type.__name__} = {parameter.default!r}{one_of}"
        lines.append(f"{line}\n    {parameter.help}")
    return "\n".join(lines)


# --- what a notebook declares, as Papermill reads its `parameters` cell --------------------------


def declared_parameters(notebook: Path) -> dict[str, tuple[str, object]]:
    """`name: (type name, default)` for each parameter of `notebook`'s `parameters` cell."""
    import papermill  # here: importing papermill is only worth it when checking

    return {
        name: (info["inferred_type_name"], ast.literal_eval(info["default"] or "None"))
        for name, info in papermill.inspect_notebook(str(notebook)).items()
    }


def check_against(declared: dict[str, tuple[str, object]], values: dict[str, object]) -> None:
    """Raise ParameterError naming the first value that `declared` does not take, or whose type
    is not the declared one (any notebook: the report's is checked in full by the model)."""
    types = {"str": str, "bool": bool, "int": int, "float": (int, float)}
    for name, value in values.items():
        if name not in declared:
            known = ", ".join(declared)
            raise ParameterError(f"unknown parameter {name!r}: the notebook declares {known}")
        expected = types.get(declared[name][0])
        if expected is None:
            continue
        if not isinstance(value, expected) or (isinstance(value, bool) and expected is not bool):
            raise ParameterError(
                f"parameter {name!r} must be of type {declared[name][0]}, got {value!r}"
            )
