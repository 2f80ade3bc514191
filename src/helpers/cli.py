"""The `ai-war` command (also `python -m helpers`): build, run, publish, plan, preview, ....

Meant for people and for schedulers alike: `ai-war build` writes log lines with their time and
level (`--log-format json` for one JSON object per line, `--quiet` for warnings and errors only),
and exits non-zero with one readable message when anything fails.
"""

import argparse
import sys
from pathlib import Path

from helpers.build import DEFAULT_LOCK_TIMEOUT
from helpers.config import CONFIG_FILE, DEFAULT_PORT, ConfigError
from helpers.logs import FORMATS, Logger
from helpers.paths import DATA_DIR, REPORT_NOTEBOOK, REPORTS_DIR

DISTRIBUTION = "ai-war-report"  # the project's name in pyproject.toml


def version() -> str:
    """'ai-war 0.1.0 (Python 3.11.7)': the installed project's version and the interpreter's."""
    import platform
    from importlib import metadata

    try:
        number = metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:  # run from a checkout that was never installed
        number = "unknown (not installed)"
    return f"ai-war {number} (Python {platform.python_version()})"


def _editions(config: Path) -> list[str]:
    """The report names of `config`, so that log lines can say which edition they are about."""
    from helpers.config import load_config

    try:
        return [spec.name for spec in load_config(config)]
    except ConfigError:  # the build says what is wrong with it, in its own words
        return []


def _step(args: argparse.Namespace, what: str, step) -> int:
    """Run a build step (build, run, publish) as the command line does: SIGTERM stops it
    cleanly, a refused input exits 2, a failed or refused report exits 1."""
    from helpers.build import BuildError, Terminated, stop_on_sigterm

    stop_on_sigterm()
    editions = _editions(args.config)
    log = Logger(None, args.log_format, args.quiet, editions)  # stdout
    problem = Logger(sys.stderr, args.log_format, args.quiet, editions)
    try:
        results = step(log)
    except (BuildError, ConfigError) as err:
        problem.error(str(err))
        return 2
    except Terminated as stop:
        problem.error(
            f"the {what} was {stop}; nothing half-built was published, the last good "
            f"reports in {args.reports} stay"
        )
        return 128 + 15  # what a shell reports for a process ended by SIGTERM
    for result in results:
        if result.status == "built":
            files = ", ".join(str(path.name) for path in result.outputs.values())
            log(f"{result.name}: {'staged' if what == 'run' else 'built'} ({files})")
    failures = [result for result in results if result.status in ("failed", "refused")]
    for failure in failures:
        problem.error(failure.message, failure.name)
    return 1 if failures else 0


def command_build(args: argparse.Namespace) -> int:
    from helpers.build import build

    if args.dry_run:
        return command_plan(args)
    return _step(
        args,
        "build",
        lambda log: build(
            args.names,
            config=args.config,
            reports_dir=args.reports,
            force=args.force,
            jobs=args.jobs,
            log=log,
            lock_timeout=args.lock_timeout,
        ),
    )


def command_run(args: argparse.Namespace) -> int:
    from helpers.build import run

    return _step(
        args,
        "run",
        lambda log: [run(args.name, config=args.config, reports_dir=args.reports, log=log)],
    )


def command_publish(args: argparse.Namespace) -> int:
    from helpers.build import publish

    return _step(
        args,
        "publication",
        lambda log: publish(
            args.names,
            config=args.config,
            reports_dir=args.reports,
            log=log,
            lock_timeout=args.lock_timeout,
        ),
    )


def command_plan(args: argparse.Namespace) -> int:
    """What a build would run and why: JSON for `ai-war plan`, lines for `build --dry-run`."""
    import json

    from helpers.build import plan

    editions = _editions(args.config)
    try:
        planned = plan(args.names, config=args.config, reports_dir=args.reports, force=args.force)
    except ConfigError as err:
        Logger(sys.stderr, args.log_format, args.quiet, editions).error(str(err))
        return 2
    if args.command == "plan":
        editions = [{"name": spec.name, "reasons": reasons} for spec, reasons in planned]
        print(json.dumps(editions, ensure_ascii=False))
        return 0
    for spec, reasons in planned:  # a listing for a person, like `ai-war list`: no log lines
        print(f"{spec.name} would rebuild: {'; '.join(reasons)}")
    if not planned:
        print("nothing would rebuild: every report is up to date")
    return 0


def command_validate(args: argparse.Namespace) -> int:
    from helpers.validate import main as validate_main

    return validate_main([str(args.data)])


def command_audit(args: argparse.Namespace) -> int:
    from helpers.audit import main as audit_main

    return audit_main(["--strict"] if args.strict else [], args.data)


def command_params(args: argparse.Namespace) -> int:
    from helpers.params import declared_parameters, describe

    if Path(args.notebook).resolve() == REPORT_NOTEBOOK.resolve():
        print(describe())  # the declared model, with its choices
    else:
        for name, (type_name, default) in declared_parameters(args.notebook).items():
            print(f"{name}: {type_name} = {default!r}")
    return 0


def command_list(args: argparse.Namespace) -> int:
    from helpers.build import ManifestError, read_manifest

    try:
        manifest = read_manifest(args.reports)
    except ManifestError as err:
        print(f"error: {err}; the next build sets it aside and rebuilds it", file=sys.stderr)
        return 1
    if not manifest["reports"]:
        print("no report published yet")
        return 0
    for name, entry in sorted(manifest["reports"].items()):
        files = ", ".join(output["file"] for output in entry.get("outputs", {}).values())
        print(f"{name}: {entry.get('status')} {entry.get('ended', '')} {files}")
    return 0


def command_preview(args: argparse.Namespace) -> int:
    from helpers.preview import serve

    editions = _editions(args.config)
    try:
        return serve(
            args.name, port=args.port, config=args.config, log=Logger(None, "text", False, editions)
        )
    except ConfigError as err:
        Logger(sys.stderr, editions=editions).error(str(err))
        return 2


def _port(text: str) -> int:
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port (0 to 65535; 0 picks a free one)")
    return int(text)


def _seconds(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = -1.0
    if not value >= 0:  # also refuses nan
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of seconds (0 or more)")
    return value


def _common(command: argparse.ArgumentParser, lock: bool) -> None:
    """The options that the build steps share."""
    command.add_argument("--config", type=Path, default=CONFIG_FILE, help="configuration file")
    if lock:
        command.add_argument(
            "--lock-timeout",
            type=_seconds,
            default=DEFAULT_LOCK_TIMEOUT,
            help="seconds to wait for another build of these reports "
            f"(default {DEFAULT_LOCK_TIMEOUT})",
        )
    command.add_argument(
        "--reports", type=Path, default=REPORTS_DIR, help="where reports are published"
    )
    command.add_argument(
        "--quiet", action="store_true", help="log warnings and errors only, not each step"
    )
    command.add_argument(
        "--log-format",
        choices=FORMATS,
        default="text",
        help="text: 'TIME LEVEL message' lines (default); json: one JSON object per line",
    )


class _Version(argparse.Action):
    """--version, read from the package metadata only when asked (a no-op build stays quick)."""

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        print(version())
        parser.exit()


def _build_command(build: argparse.ArgumentParser) -> None:
    build.add_argument("names", nargs="*", help="reports of reports.toml to build (default: all)")
    build.add_argument("--force", action="store_true", help="rebuild even when nothing changed")
    build.add_argument(
        "--jobs", type=int, default=None, help="reports run at once (default: cores)"
    )
    build.add_argument(
        "--dry-run", action="store_true", help="say what would rebuild and why; run nothing"
    )
    _common(build, lock=True)
    build.set_defaults(handler=command_build)


def _run_command(run: argparse.ArgumentParser) -> None:
    run.add_argument("name", help="a report of reports.toml")
    _common(run, lock=False)
    run.set_defaults(handler=command_run)


def _publish_command(publish: argparse.ArgumentParser) -> None:
    publish.add_argument("names", nargs="*", help="reports whose runs to publish (default: all)")
    _common(publish, lock=True)
    publish.set_defaults(handler=command_publish)


def _plan_command(planning: argparse.ArgumentParser) -> None:
    planning.add_argument("names", nargs="*", help="reports of reports.toml (default: all)")
    planning.add_argument("--force", action="store_true", help="every report, changed or not")
    _common(planning, lock=False)
    planning.set_defaults(handler=command_plan)


def _validate_command(validate: argparse.ArgumentParser) -> None:
    validate.add_argument("data", nargs="?", type=Path, default=DATA_DIR, help="data folder")
    validate.set_defaults(handler=command_validate)


def _audit_command(audit: argparse.ArgumentParser) -> None:
    audit.add_argument("data", nargs="?", type=Path, default=DATA_DIR, help="data folder")
    audit.add_argument(
        "--strict", action="store_true", help="exit 1 while a line to fix names any row"
    )
    audit.set_defaults(handler=command_audit)


def _params_command(params: argparse.ArgumentParser) -> None:
    params.add_argument("--notebook", type=Path, default=REPORT_NOTEBOOK)
    params.set_defaults(handler=command_params)


def _list_command(listing: argparse.ArgumentParser) -> None:
    listing.add_argument("--reports", type=Path, default=REPORTS_DIR)
    listing.set_defaults(handler=command_list)


def _preview_command(preview: argparse.ArgumentParser) -> None:
    preview.add_argument("name", nargs="?", help="report of reports.toml (default: the first)")
    preview.add_argument(
        "--port", type=_port, default=DEFAULT_PORT, help=f"default {DEFAULT_PORT}; 0: a free one"
    )
    preview.add_argument("--config", type=Path, default=CONFIG_FILE, help="configuration file")
    preview.set_defaults(handler=command_preview)


# Each command: its help line and what defines its arguments, in the order `ai-war -h` lists them.
COMMANDS = {
    "build": ("build every configured report, or those named", _build_command),
    "run": (
        "run one report into reports/.runs/NAME/ for a later publish (no lock)",
        _run_command,
    ),
    "publish": (
        "publish the complete staged runs as one unit (all, or those named)",
        _publish_command,
    ),
    "plan": ("the reports a build would run, with why, as JSON (for schedulers)", _plan_command),
    "validate": ("check the fact base against its schemas and rules", _validate_command),
    "audit": ("how the facts are sourced: counts that name their rows", _audit_command),
    "params": ("the notebook's parameters: types, defaults, help", _params_command),
    "list": ("what is published", _list_command),
    "preview": ("serve one edition on 127.0.0.1, run again on every edit", _preview_command),
}


def parser(only: str | None = None) -> argparse.ArgumentParser:
    """The command line of `ai-war`; with `only`, a command of COMMANDS, that command's parser
    alone is made (what a scheduled `ai-war build` needs, no more)."""
    top = argparse.ArgumentParser(prog="ai-war", description=__doc__.splitlines()[0])
    top.add_argument("--version", action=_Version, nargs=0, help="show the version and exit")
    commands = top.add_subparsers(dest="command", required=True)
    for name, (help_text, define) in COMMANDS.items():
        if only in (None, name):
            define(commands.add_parser(name, help=help_text))
    return top


def main(argv: list[str] | None = None) -> int:
    """Run `ai-war` with `argv` (default: the command line)."""
    argv = sys.argv[1:] if argv is None else argv
    args = parser(argv[0] if argv and argv[0] in COMMANDS else None).parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
