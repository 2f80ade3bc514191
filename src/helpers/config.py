"""The configured reports (reports.toml): which notebook runs with which parameters and formats."""

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from helpers.freshness import DEFAULT_STALE_AFTER_DAYS
from helpers.paths import PROJECT_ROOT

DEFAULT_PORT = 8765  # where `ai-war preview` serves an edition, on 127.0.0.1

CONFIG_FILE = PROJECT_ROOT / "reports.toml"
FORMATS = ("html", "pdf")
NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")  # a file name stem: no path, no dot, no space
# names whose published files would overwrite the build's own: reports/index.html
RESERVED_NAMES = {"index": "reports/index.html is the list of reports"}


class ConfigError(ValueError):
    """A configuration that cannot be used; the message names the file, the report and the field."""


@dataclass(frozen=True)
class RunSpec:
    """One configured report."""

    name: str
    notebook: Path
    parameters: dict[str, object] = field(hash=False)
    formats: tuple[str, ...]
    cell_timeout: int
    stale_after_days: int = DEFAULT_STALE_AFTER_DAYS  # a build warns when the newest fact is older


def _where(path: Path, index: int | None, name: str | None = None) -> str:
    if index is None:
        return f"{path.name}, [defaults]"
    return f"{path.name}, report {index + 1}" + (f" ({name!r})" if name else "")


def load_config(path: Path = CONFIG_FILE) -> list[RunSpec]:
    """The reports of `path`, checked: names, notebooks, formats, timeouts, parameter tables.

    Notebook paths are relative to the folder of the configuration file and must stay inside it.
    """
    root = path.resolve().parent
    try:
        document = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as err:
        raise ConfigError(f"{path.name}: cannot be read: {err}") from None
    unknown = sorted(set(document) - {"defaults", "report"})
    if unknown:
        raise ConfigError(
            f"{path.name}: unknown section {unknown[0]!r} (use [defaults] and [[report]])"
        )
    defaults = document.get("defaults", {})
    reports = document.get("report", [])
    if not reports:
        raise ConfigError(f"{path.name}: no [[report]] entry")
    specs, seen = [], set()
    for index, entry in enumerate(reports):
        settings = {**defaults, **entry}
        name = settings.get("name")
        where = _where(path, index, name if isinstance(name, str) else None)
        extra = sorted(
            set(settings)
            - {"name", "notebook", "parameters", "formats", "cell_timeout", "stale_after_days"}
        )
        if extra:
            raise ConfigError(f"{where}: unknown field {extra[0]!r}")
        if not isinstance(name, str) or not NAME.match(name):
            raise ConfigError(
                f"{where}, field name: {name!r} is not a lowercase slug like 'report-fr'"
            )
        if name in RESERVED_NAMES:
            raise ConfigError(
                f"{where}, field name: {name!r} is reserved ({RESERVED_NAMES[name]}); "
                "choose another name"
            )
        if name in seen:
            raise ConfigError(f"{where}, field name: {name!r} is configured twice")
        seen.add(name)
        notebook_text = settings.get("notebook")
        if not isinstance(notebook_text, str):
            raise ConfigError(f"{where}, field notebook: a path is required")
        notebook = (root / notebook_text).resolve()
        if (
            not notebook.is_relative_to(root)
            or notebook.suffix != ".ipynb"
            or not notebook.is_file()
        ):
            raise ConfigError(
                f"{where}, field notebook: {notebook_text!r} is not a notebook of the project"
            )
        formats = settings.get("formats", list(FORMATS))
        if not isinstance(formats, list) or not formats or any(f not in FORMATS for f in formats):
            raise ConfigError(
                f"{where}, field formats: {formats!r}: choose among {', '.join(FORMATS)}"
            )
        if len(set(formats)) != len(formats):
            raise ConfigError(f"{where}, field formats: {formats!r} lists a format twice")
        timeout = settings.get("cell_timeout", 300)
        if not isinstance(timeout, int) or isinstance(timeout, bool) or timeout <= 0:
            raise ConfigError(
                f"{where}, field cell_timeout: {timeout!r} is not a positive number of seconds"
            )
        stale = settings.get("stale_after_days", DEFAULT_STALE_AFTER_DAYS)
        if not isinstance(stale, int) or isinstance(stale, bool) or stale <= 0:
            raise ConfigError(
                f"{where}, field stale_after_days: {stale!r} is not a positive number of days"
            )
        parameters = settings.get("parameters", {})
        if not isinstance(parameters, dict):
            raise ConfigError(
                f'{where}, field parameters: a table like {{ lang = "fr" }} is required'
            )
        _check_values(where, parameters)
        specs.append(RunSpec(name, notebook, dict(parameters), tuple(formats), timeout, stale))
    return specs


def _check_values(where: str, parameters: dict) -> None:
    """Refuse TOML dates and times, also inside lists and tables: papermill and the manifest take
    strings, numbers and booleans, and an unquoted date is a slip for a string."""
    pending = [(key, value) for key, value in parameters.items()]
    while pending:
        key, value = pending.pop()
        if isinstance(value, dict):
            pending += [(key, inner) for inner in value.values()]
        elif isinstance(value, list):
            pending += [(key, inner) for inner in value]
        elif isinstance(value, dt.date | dt.time):  # a dt.datetime is a dt.date
            text = value.isoformat()
            raise ConfigError(
                f"{where}, field parameters: parameter {key!r} is the TOML date or time {text}; "
                f'write it as a string: {key} = "{text}"'
            )


def select(specs: list[RunSpec], names: list[str]) -> list[RunSpec]:
    """The specs named in `names` (all when empty); an unknown name is an error."""
    if not names:
        return specs
    known = {spec.name: spec for spec in specs}
    for name in names:
        if name not in known:
            raise ConfigError(f"no report named {name!r}: configured are {', '.join(known)}")
    return [known[name] for name in names]
