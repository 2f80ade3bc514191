"""Report parameters checked before any kernel starts (Papermill itself does not check them)."""

import datetime as dt
import re
from collections.abc import Collection
from dataclasses import dataclass

from helpers.i18n import check_language


class ParameterError(ValueError):
    """A report parameter that cannot be used; the message names the parameter."""


@dataclass(frozen=True)
class ReportParameters:
    """The checked parameters of one report."""

    lang: str
    as_of: dt.date | None  # None: up to the newest fact in the data
    include_public_record: bool = True  # False: the analysed article alone
    focus: tuple[str, ...] = ()  # actor ids; empty: every actor


KNOWN_PARAMETERS = ("lang", "as_of", "include_public_record", "focus")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ACTOR_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def check_parameters(
    known_actors: Collection[str] | None = None, **values: object
) -> ReportParameters:
    """Check the parameters of a report run and return them typed.

    Raises ParameterError naming the parameter for an unknown name, a wrong type, an unsupported
    language, a date that is not ISO (YYYY-MM-DD), or a focus actor not in `known_actors`.
    """
    unknown = sorted(set(values) - set(KNOWN_PARAMETERS))
    if unknown:
        raise ParameterError(
            f"unknown parameter {unknown[0]!r}: the report takes {', '.join(KNOWN_PARAMETERS)}"
        )
    lang = values.get("lang", "fr")
    if not isinstance(lang, str):
        raise ParameterError(f"parameter 'lang' must be a string, got {type(lang).__name__}")
    try:
        check_language(lang)
    except ValueError as err:
        raise ParameterError(f"parameter 'lang': {err}") from None
    as_of = values.get("as_of", "")
    if not isinstance(as_of, str):
        raise ParameterError(f"parameter 'as_of' must be a string, got {type(as_of).__name__}")
    as_of_date = None
    if as_of:
        try:
            if not ISO_DATE.match(as_of):
                raise ValueError(as_of)
            as_of_date = dt.date.fromisoformat(as_of)
        except ValueError:
            raise ParameterError(
                f"parameter 'as_of': {as_of!r} is not an ISO date (YYYY-MM-DD)"
            ) from None
    include = values.get("include_public_record", True)
    if not isinstance(include, bool):
        raise ParameterError(
            f"parameter 'include_public_record' must be True or False, got {include!r}"
        )
    focus_text = values.get("focus", "")
    if not isinstance(focus_text, str):
        raise ParameterError(f"parameter 'focus' must be a string, got {type(focus_text).__name__}")
    focus = tuple(part.strip() for part in focus_text.split(",") if part.strip())
    for actor in focus:
        if not ACTOR_ID.match(actor):
            raise ParameterError(f"parameter 'focus': {actor!r} is not an actor id")
        if known_actors is not None and actor not in known_actors:
            raise ParameterError(
                f"parameter 'focus': unknown actor {actor!r} (see data/actors.csv)"
            )
    return ReportParameters(lang=lang, as_of=as_of_date, include_public_record=include, focus=focus)
