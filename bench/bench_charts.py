"""Benchmark of the charts at scale: prints figures, asserts nothing.

For each fact base given (the real one by default), each language and each section with a chart,
the time its notebook cell takes to show (`edition.section(name)._repr_html_()`, both layouts
drawn): wall clock, and the CPU seconds of the process, which other work on a shared machine does
not inflate; and the size of its desk and phone SVGs, beside the targets of issue 14 (a chart cell
at most 1.5 s, a chart's SVG at most 150 KB); then each edition's total, its five chart cells. Each
fact base is measured in a process of its own, as a kernel would (`AI_WAR_DATA_DIR`), in the
notebook's order; with `--repeat N`, in N processes one after the other, each figure the least of
the N (on a shared machine, other work only ever adds to a process's CPU seconds).

    python bench/bench_charts.py [--repeat N] [DATA_DIR ...]
    python -m helpers.synthetic 1000 /tmp/d1000 && python bench/bench_charts.py data /tmp/d1000
"""

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECTIONS = ("timeline", "money", "courts", "positions", "relations")
LANGS = ("en", "fr")
CELL_TARGET_S = 1.5
SVG_TARGET_KB = 150.0
_SVG = re.compile(r"<svg\b.*?</svg>", re.S)


def measure_here() -> dict:
    """Figures for the fact base of this process ($AI_WAR_DATA_DIR), as a dict for JSON."""
    from helpers.report.edition import open_edition

    figures: dict = {}
    for lang in LANGS:
        edition = open_edition(lang=lang)
        edition.section("summary")._repr_html_()  # the edition's set-up is not a chart's time
        for name in SECTIONS:
            started, cpu = time.perf_counter(), time.process_time()
            html = edition.section(name)._repr_html_()
            seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
            svgs = [len(svg.encode("utf-8")) / 1000 for svg in _SVG.findall(html)]
            figures[f"{name} {lang}"] = {"seconds": seconds, "cpu": cpu, "svg_kb": svgs}
    return figures


def measure(data_dir: Path, repeat: int = 1) -> dict:
    """The figures of `repeat` processes on `data_dir`, each the least of them."""
    env = {**os.environ, "AI_WAR_DATA_DIR": str(data_dir.resolve())}
    runs = []
    for _ in range(repeat):
        done = subprocess.run(
            [sys.executable, __file__, "--here"], env=env, capture_output=True, text=True,
            check=True,
        )  # fmt: skip
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return {
        cell: {
            "seconds": min(run[cell]["seconds"] for run in runs),
            "cpu": min(run[cell]["cpu"] for run in runs),
            "svg_kb": runs[0][cell]["svg_kb"],
        }
        for cell in runs[0]
    }


def main(argv: list[str]) -> int:
    if argv == ["--here"]:
        print(json.dumps(measure_here()))
        return 0
    repeat = 1
    if argv[:1] == ["--repeat"]:
        repeat, argv = int(argv[1]), argv[2:]
    dirs = [Path(arg) for arg in argv] or [ROOT / "data"]
    for data_dir in dirs:
        figures = measure(data_dir, repeat)
        print(f"\n{data_dir}" + (f" (least of {repeat} runs)" if repeat > 1 else ""))
        print(f"{'cell':<16}{'seconds':>9}{'cpu s':>7}{'desk KB':>10}{'phone KB':>10}  targets")
        for cell, figure in figures.items():
            sizes = figure["svg_kb"] + [0.0, 0.0]
            met = figure["cpu"] <= CELL_TARGET_S and max(sizes) <= SVG_TARGET_KB
            print(
                f"{cell:<16}{figure['seconds']:>9.2f}{figure['cpu']:>7.2f}{sizes[0]:>10.1f}{sizes[1]:>10.1f}"
                f"  {'met' if met else 'MISSED'}"
            )
        for lang in LANGS:
            cells = [figures[f"{name} {lang}"] for name in SECTIONS]
            seconds, cpu = sum(c["seconds"] for c in cells), sum(c["cpu"] for c in cells)
            print(
                f"{'edition ' + lang:<16}{seconds:>9.2f}{cpu:>7.2f}  (its {len(cells)} chart cells)"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
