"""nbconvert exporter: the report's HTML printed to an A4 PDF by a Chromium found on the machine.

Upstream WebPDF only launches Playwright's own downloaded Chromium and prints US Letter without
margins (jupyter/nbconvert#2139, #1660). This exporter keeps its HTML path, so the PDF and the
HTML share one template, and prints on A4 with real margins and a page number in the footer.
Registered as the `a4pdf` entry point: `jupyter nbconvert --to a4pdf notebook.ipynb`. On a
notebook the build executed (reports/executed/*.ipynb) it prints the build's own PDF: the
build's nbconvert settings (no code, no prompts, no parameter cells, no stderr) in the language
the notebook ran with.
"""

import copy
import tempfile
from pathlib import Path

from nbconvert.exporters.webpdf import WebPDFExporter
from traitlets import Unicode, default
from traitlets.config import Config

from helpers.browser import find_chromium
from helpers.paths import TEMPLATES_DIR
from helpers.printing import print_pdfs


def notebook_lang(notebook) -> str:
    """The `lang` an executed notebook ran with (papermill records its parameters), else the
    parameter's default."""
    from helpers.params import BY_NAME

    declared = BY_NAME["lang"]
    ran_with = notebook.metadata.get("papermill", {}).get("parameters", {}).get("lang")
    return ran_with if ran_with in declared.choices else str(declared.default)


class A4PDFExporter(WebPDFExporter):
    """PDF via HTML: A4, margins, page numbers, printed by the machine's Chromium."""

    export_from_notebook = "PDF (A4, via Chromium)"

    chromium_path = Unicode(
        "",
        help="Chromium or Chrome executable to print with; empty: helpers.browser.find_chromium().",
    ).tag(config=True)

    paper_format = Unicode("A4", help="Paper size, as Chromium names it (A4, Letter, ...).").tag(
        config=True
    )

    @default("template_name")
    def _template_name_default(self) -> str:
        return "report"  # the HTML report's own template: PDF and HTML look alike

    @default("extra_template_basedirs")
    def _extra_template_basedirs_default(self) -> list[str]:
        return [str(TEMPLATES_DIR)]

    @property
    def default_config(self) -> Config:
        """The build's nbconvert settings under any the user gives (those win)."""
        from helpers.build import exporter_config
        from helpers.params import BY_NAME

        config = super().default_config
        config.merge(exporter_config(str(BY_NAME["lang"].default)))
        return config

    def from_notebook_node(self, nb, resources=None, **kw):
        """The PDF of `nb` as the build prints it: in the notebook's language, without what
        its kernel wrote on stderr (that is for whoever ran it, never for readers)."""
        from helpers.build import strip_stderr

        notebook = copy.deepcopy(nb)
        strip_stderr(notebook)
        self.language_code = notebook_lang(notebook)
        return super().from_notebook_node(notebook, resources=resources, **kw)

    def run_playwright(self, html: str) -> bytes:
        """Print `html` to PDF bytes in a headless Chromium."""
        executable = Path(self.chromium_path) if self.chromium_path else find_chromium()
        with tempfile.TemporaryDirectory(prefix="a4pdf-") as workdir:
            page_file = Path(workdir) / "page.html"
            page_file.write_text(html, encoding="utf-8")
            (pdf,) = print_pdfs(
                [page_file],
                executable,
                self.paper_format,
                self.browser_args,
                self.page_render_timeout,
            )
        return pdf
