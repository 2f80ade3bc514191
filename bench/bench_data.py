"""Benchmark of loading and validating the fact base: prints figures, asserts nothing.

For the real fact base and synthetic ones 100x and 1000x its size (`helpers.synthetic`), each
measured in a fresh Python process (imports done first, not timed; nothing cached between steps
that the build would not share):

- what `ai-war build` does in its own process before any kernel starts: `validate`, the run
  checks (`check_run`, which reads the actors), `input_hashes` of one report, the data's
  freshness (`_freshness`) and the digest of the facts (`facts_digest`);
- what each kernel does before its first chart: `open_edition(lang="en")` and the first section
  shown, `edition.section("summary")._repr_html_()` (which builds every section's facts).

Each figure is the median of `--repeat` processes (3 by default), as wall-clock seconds and as
the CPU seconds of the process (less sensitive to other work on a shared machine; the load
average is printed). Issue 14's targets at 1000x are printed beside the wall-clock figures:
validate <= 2 s, open_edition <= 1.5 s, summary <= 0.5 s.

    python bench/bench_data.py [--factors 1 100 1000] [--repeat 3] [--bases DIR]

`--bases DIR` keeps the synthetic fact bases in DIR (DIR/x100, DIR/x1000) and reuses them when
they are there; by default they are made in a temporary folder and removed.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STEPS = (
    "validate",
    "check_run",
    "input_hashes",
    "freshness",
    "facts_digest",
    "open_edition",
    "summary",
)
TARGETS_1000X = {"validate": 2.0, "open_edition": 1.5, "summary": 0.5}


def measure(data_dir: Path) -> dict[str, float]:
    """Seconds of each step on the fact base in `data_dir`, in this process (run it fresh)."""
    os.environ["AI_WAR_DATA_DIR"] = str(data_dir)
    import pandas  # noqa: F401  (imported by every step: not part of any figure)

    from helpers.build import _freshness, check_run, input_hashes
    from helpers.changes import facts_digest
    from helpers.config import load_config, select
    from helpers.report import open_edition
    from helpers.validate import validate

    spec = select(load_config(), [])[0]
    figures: dict[str, float] = {}

    def timed(step: str, call):
        started, cpu = time.perf_counter(), time.process_time()
        result = call()
        figures[step] = time.perf_counter() - started
        figures[f"{step} cpu"] = time.process_time() - cpu
        return result

    problems = timed("validate", lambda: validate(data_dir))
    if problems:
        raise SystemExit(f"{data_dir}: {len(problems)} problem(s), first: {problems[0]}")
    timed("check_run", lambda: check_run(spec, data_dir))
    timed("input_hashes", lambda: input_hashes(spec, data_dir))
    timed("freshness", lambda: _freshness([spec], data_dir, lambda line: None))
    timed("facts_digest", lambda: facts_digest(data_dir))
    edition = timed("open_edition", lambda: open_edition(data_dir, lang="en"))
    timed("summary", lambda: edition.section("summary")._repr_html_())
    return figures


def fact_base(factor: int, bases: Path) -> Path:
    """The real data for 1, else a synthetic base `factor` times it (made unless kept)."""
    if factor == 1:
        return ROOT / "data"
    folder = bases / f"x{factor}"
    if not (folder / "datapackage.json").exists():
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "helpers.synthetic", str(factor), str(folder)],
            check=True,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
        )
        print(f"made the {factor}x fact base in {time.perf_counter() - started:.1f} s")
    return folder


def fresh_process(data_dir: Path) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--measure", str(data_dir)],
        check=True,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--factors", type=int, nargs="+", default=[1, 100, 1000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--bases", type=Path, help="keep (and reuse) the synthetic bases here")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure)))
        return 0
    bases = args.bases or Path(tempfile.mkdtemp(prefix="bench-data-"))
    try:
        results = {}
        for factor in args.factors:
            data_dir = fact_base(factor, bases)
            runs = [fresh_process(data_dir) for _ in range(args.repeat)]
            results[factor] = {key: statistics.median(r[key] for r in runs) for key in runs[0]}
    finally:
        if not args.bases:
            shutil.rmtree(bases, ignore_errors=True)
    load, cores = os.getloadavg()[0], os.cpu_count()
    print(f"median of {args.repeat} fresh processes; load average {load:.1f} on {cores} cores")
    for title, suffix in (("wall-clock seconds", ""), ("CPU seconds of the process", " cpu")):
        print(f"{title}:")
        print(f"{'step':<14}" + "".join(f"{f'{f}x':>10}" for f in args.factors) + "  at 1000x")
        for step in STEPS:
            cells = "".join(f"{results[f][step + suffix]:>10.3f}" for f in args.factors)
            target = TARGETS_1000X.get(step)
            verdict = ""
            if target is not None and 1000 in results and not suffix:
                met = "met" if results[1000][step] <= target else "MISSED"
                verdict = f"  target <= {target} s: {met}"
            print(f"{step:<14}{cells}{verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
