"""Build the published reports.

Papermill runs the notebook once per language; nbconvert writes its HTML and its PDF.

Outputs are written in a staging folder inside reports/ and moved into place only when every
format of a report is complete, so a failed run leaves the last good report untouched.
"""

import argparse
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

import nbformat
import papermill
from nbconvert import HTMLExporter
from traitlets.config import Config

from helpers.i18n import LANGUAGES, label
from helpers.params import ParameterError, check_parameters
from helpers.paths import EXECUTED_DIR, NOTEBOOKS_DIR, REPORT_NOTEBOOK, REPORTS_DIR, TEMPLATES_DIR
from helpers.pdf_export import A4PDFExporter
from helpers.validate import validate

KERNEL_NAME = "ai-war-report"  # registered by the Makefile's set-up into .venv
FORMATS = ("html", "pdf")


def exporter_config(lang: str) -> Config:
    """nbconvert settings shared by the HTML and the PDF of the report in `lang`."""
    config = Config()
    config.TemplateExporter.exclude_input = True  # readers see outputs and prose, not code
    config.TemplateExporter.exclude_input_prompt = True
    config.TemplateExporter.exclude_output_prompt = True
    config.TagRemovePreprocessor.enabled = True
    other_languages = {f"lang-{other}" for other in LANGUAGES if other != lang}
    # parameter cells show nothing, and papermill gives the injected one a random id
    hidden = {"analyst-note", "parameters", "injected-parameters"}
    config.TagRemovePreprocessor.remove_cell_tags = other_languages | hidden
    config.HTMLExporter.template_name = "report"
    config.HTMLExporter.extra_template_basedirs = [str(TEMPLATES_DIR)]
    config.HTMLExporter.language_code = lang
    config.HTMLExporter.preprocessors = ["helpers.toc.TableOfContents"]
    config.TableOfContents.title = label("toc_title", lang)
    return config


def export_report(executed: Path, lang: str, out_dir: Path, formats: Sequence[str]) -> list[Path]:
    """Write the executed notebook `executed` as <stem>.html and/or <stem>.pdf in `out_dir`."""
    notebook = nbformat.read(executed, as_version=4)
    notebook.metadata["title"] = label("report_title", lang)
    config = exporter_config(lang)
    written = []
    if "html" in formats:
        body, _ = HTMLExporter(config=config).from_notebook_node(notebook)
        path = out_dir / f"{executed.stem}.html"
        path.write_text(body, encoding="utf-8")
        written.append(path)
    if "pdf" in formats:
        data, _ = A4PDFExporter(config=config).from_notebook_node(notebook)
        path = out_dir / f"{executed.stem}.pdf"
        path.write_bytes(data)
        written.append(path)
    return written


def build_report(
    lang: str,
    as_of: str = "",
    reports_dir: Path = REPORTS_DIR,
    formats: Sequence[str] = FORMATS,
) -> list[Path]:
    """Run the report notebook in `lang` and publish it in `reports_dir`; return the files written.

    Parameters are checked before any kernel starts. On a failure the executed notebook, with
    Papermill's error banner, is kept as executed/<stem>.failed.ipynb and nothing is published.
    """
    check_parameters(lang=lang, as_of=as_of)
    unknown = sorted(set(formats) - set(FORMATS))
    if unknown:
        raise ParameterError(f"unknown format {unknown[0]!r}: choose among {', '.join(FORMATS)}")
    stem = f"report-{lang}"
    executed_dir = reports_dir / EXECUTED_DIR.relative_to(REPORTS_DIR)
    executed_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=reports_dir, prefix=".staging-") as staging_name:
        staging = Path(staging_name)
        executed = staging / f"{stem}.ipynb"
        try:
            papermill.execute_notebook(
                str(REPORT_NOTEBOOK),
                str(executed),
                parameters={"lang": lang, "as_of": as_of},
                kernel_name=KERNEL_NAME,
                cwd=str(NOTEBOOKS_DIR),
                progress_bar=False,
            )
        except Exception:
            if executed.exists():
                executed.replace(executed_dir / f"{stem}.failed.ipynb")
            raise
        outputs = export_report(executed, lang, staging, formats)
        published = []
        for output in outputs:  # each os.replace is atomic: readers never see half a file
            target = reports_dir / output.name
            output.replace(target)
            published.append(target)
        executed.replace(executed_dir / executed.name)
        (executed_dir / f"{stem}.failed.ipynb").unlink(missing_ok=True)
    return published


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m helpers.build`: build the report in each language asked for."""
    parser = argparse.ArgumentParser(prog="python -m helpers.build", description=__doc__)
    parser.add_argument("--lang", nargs="+", default=list(LANGUAGES), help="languages to build")
    parser.add_argument("--as-of", default="", help="ISO date; facts after it are left out")
    parser.add_argument("--format", nargs="+", default=list(FORMATS), choices=FORMATS)
    args = parser.parse_args(argv)
    try:
        for lang in args.lang:  # check every run before any kernel starts
            check_parameters(lang=lang, as_of=args.as_of)
    except ParameterError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    problems = validate()  # bad data stops the build before any kernel starts
    if problems:
        for problem in problems:
            print(f"error: data/{problem}", file=sys.stderr)
        print(f"error: {len(problems)} problem(s) in data/: nothing was built", file=sys.stderr)
        return 2
    REPORTS_DIR.mkdir(exist_ok=True)
    for lang in args.lang:
        try:
            for path in build_report(lang, args.as_of, formats=args.format):
                print(f"wrote {path.relative_to(REPORTS_DIR.parent)}")
        except papermill.PapermillExecutionError as err:
            print(
                f"error: report-{lang} failed in cell {err.exec_count}: {err.ename}: {err.evalue}\n"
                f"the executed notebook is kept as reports/executed/report-{lang}.failed.ipynb",
                file=sys.stderr,
            )
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
