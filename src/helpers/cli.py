"""The `ai-war` command (also `python -m helpers`): build, run, publish, plan, preview, ....

Meant for people and for schedulers alike: plain log lines when the output is not a terminal,
a non-zero exit status with one readable message when anything fails.
"""

import argparse
import sys
from pathlib import Path

from helpers.build import DEFAULT_LOCK_TIMEOUT
from helpers.config import CONFIG_FILE, ConfigError
from helpers.paths import DATA_DIR, REPORT_NOTEBOOK, REPORTS_DIR
from helpers.preview import DEFAULT_PORT


def _log(message: str) -> None:
    print(message, flush=True)


def _step(args: argparse.Namespace, what: str, step) -> int:
    """Run a build step (build, run, publish) as the command line does: SIGTERM stops it
    cleanly, a refused input exits 2, a failed or refused report exits 1."""
    from helpers.build import BuildError, Terminated, stop_on_sigterm

    stop_on_sigterm()
    try:
        results = step()
    except (BuildError, ConfigError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except Terminated as stop:
        print(
            f"error: the {what} was {stop}; nothing half-built was published, the last good "
            f"reports in {args.reports} stay",
            file=sys.stderr,
        )
        return 128 + 15  # what a shell reports for a process ended by SIGTERM
    for result in results:
        if result.status == "built":
            files = ", ".join(str(path.name) for path in result.outputs.values())
            _log(f"{result.name}: {'staged' if what == 'run' else 'built'} ({files})")
    failures = [result for result in results if result.status in ("failed", "refused")]
    for failure in failures:
        print(f"error: {failure.message}", file=sys.stderr)
    return 1 if failures else 0


def command_build(args: argparse.Namespace) -> int:
    from helpers.build import build

    if args.dry_run:
        return command_plan(args)
    return _step(
        args,
        "build",
        lambda: build(
            args.names,
            config=args.config,
            reports_dir=args.reports,
            force=args.force,
            jobs=args.jobs,
            log=_log,
            lock_timeout=args.lock_timeout,
        ),
    )


def command_run(args: argparse.Namespace) -> int:
    from helpers.build import run

    return _step(
        args,
        "run",
        lambda: [run(args.name, config=args.config, reports_dir=args.reports, log=_log)],
    )


def command_publish(args: argparse.Namespace) -> int:
    from helpers.build import publish

    return _step(
        args,
        "publication",
        lambda: publish(
            args.names,
            config=args.config,
            reports_dir=args.reports,
            log=_log,
            lock_timeout=args.lock_timeout,
        ),
    )


def command_plan(args: argparse.Namespace) -> int:
    """What a build would run and why: JSON for `ai-war plan`, lines for `build --dry-run`."""
    import json

    from helpers.build import plan

    try:
        planned = plan(args.names, config=args.config, reports_dir=args.reports, force=args.force)
    except ConfigError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if args.command == "plan":
        editions = [{"name": spec.name, "reasons": reasons} for spec, reasons in planned]
        print(json.dumps(editions, ensure_ascii=False))
        return 0
    for spec, reasons in planned:
        _log(f"{spec.name} would rebuild: {'; '.join(reasons)}")
    if not planned:
        _log("nothing would rebuild: every report is up to date")
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

    try:
        return serve(args.name, port=args.port, config=args.config, log=_log)
    except ConfigError as err:
        print(f"error: {err}", file=sys.stderr)
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


def parser() -> argparse.ArgumentParser:
    """The command line of `ai-war`."""
    top = argparse.ArgumentParser(prog="ai-war", description=__doc__.splitlines()[0])
    commands = top.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="build every configured report, or those named")
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
    run = commands.add_parser(
        "run", help="run one report into reports/.runs/NAME/ for a later publish (no lock)"
    )
    run.add_argument("name", help="a report of reports.toml")
    _common(run, lock=False)
    run.set_defaults(handler=command_run)
    publish = commands.add_parser(
        "publish", help="publish the complete staged runs as one unit (all, or those named)"
    )
    publish.add_argument("names", nargs="*", help="reports whose runs to publish (default: all)")
    _common(publish, lock=True)
    publish.set_defaults(handler=command_publish)
    planning = commands.add_parser(
        "plan", help="the reports a build would run, with why, as JSON (for schedulers)"
    )
    planning.add_argument("names", nargs="*", help="reports of reports.toml (default: all)")
    planning.add_argument("--force", action="store_true", help="every report, changed or not")
    _common(planning, lock=False)
    planning.set_defaults(handler=command_plan)
    validate = commands.add_parser(
        "validate", help="check the fact base against its schemas and rules"
    )
    validate.add_argument("data", nargs="?", type=Path, default=DATA_DIR, help="data folder")
    validate.set_defaults(handler=command_validate)
    audit = commands.add_parser(
        "audit", help="how the facts are sourced: counts that name their rows"
    )
    audit.add_argument("data", nargs="?", type=Path, default=DATA_DIR, help="data folder")
    audit.add_argument(
        "--strict", action="store_true", help="exit 1 while a line to fix names any row"
    )
    audit.set_defaults(handler=command_audit)
    params = commands.add_parser("params", help="the notebook's parameters: types, defaults, help")
    params.add_argument("--notebook", type=Path, default=REPORT_NOTEBOOK)
    params.set_defaults(handler=command_params)
    listing = commands.add_parser("list", help="what is published")
    listing.add_argument("--reports", type=Path, default=REPORTS_DIR)
    listing.set_defaults(handler=command_list)
    preview = commands.add_parser(
        "preview", help="serve one edition on 127.0.0.1, run again on every edit"
    )
    preview.add_argument("name", nargs="?", help="report of reports.toml (default: the first)")
    preview.add_argument(
        "--port", type=_port, default=DEFAULT_PORT, help=f"default {DEFAULT_PORT}; 0: a free one"
    )
    preview.add_argument("--config", type=Path, default=CONFIG_FILE, help="configuration file")
    preview.set_defaults(handler=command_preview)
    return top


def main(argv: list[str] | None = None) -> int:
    """Run `ai-war` with `argv` (default: the command line)."""
    args = parser().parse_args(argv)
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
