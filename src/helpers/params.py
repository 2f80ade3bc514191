"""Report parameters checked before any kernel starts (Papermill itself does not check them)."""

import datetime as dt
import re
from dataclasses import dataclass

from helpers.i18n import check_language


class ParameterError(ValueError):
    """A report parameter that cannot be used; the message names the parameter."""


@dataclass(frozen=True)
class ReportParameters:
    """The checked parameters of one report."""

    lang: str
    as_of: dt.date | None  # None: up to the newest fact in the data


KNOWN_PARAMETERS = ("lang", "as_of")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def check_parameters(**values: object) -> ReportParameters:
    """Check the parameters of a report run and return them typed.

    Raises ParameterError naming the parameter for an unknown name, a wrong type, an unsupported
    language or a date that is not ISO (YYYY-MM-DD).
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
    return ReportParameters(lang=lang, as_of=as_of_date)
