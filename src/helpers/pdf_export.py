"""nbconvert exporter: the report's HTML printed to an A4 PDF by a Chromium found on the machine.

Upstream WebPDF only launches Playwright's own downloaded Chromium and prints US Letter without
margins (jupyter/nbconvert#2139, #1660). This exporter keeps its HTML path, so the PDF and the
HTML share one template, and prints on A4 with real margins and a page number in the footer.
Registered as the `a4pdf` entry point: `jupyter nbconvert --to a4pdf notebook.ipynb`.
"""

import asyncio
import concurrent.futures
import tempfile
from pathlib import Path

from nbconvert.exporters.webpdf import WebPDFExporter
from traitlets import Unicode, default

from helpers.browser import CHROMIUM_ARGS, find_chromium

# Chromium draws the footer in its own page context: styles must be inline, sizes explicit.
FOOTER_TEMPLATE = (
    '<div style="width:100%;font-family:DejaVu Sans,Liberation Sans,sans-serif;font-size:8pt;'
    'color:#555;text-align:center;"><span class="pageNumber"></span> / '
    '<span class="totalPages"></span></div>'
)
PAGE_MARGINS = {"top": "18mm", "bottom": "20mm", "left": "16mm", "right": "16mm"}


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
        return "lab"

    def run_playwright(self, html: str) -> bytes:
        """Print `html` to PDF bytes in a headless Chromium."""
        executable = Path(self.chromium_path) if self.chromium_path else find_chromium()
        with tempfile.TemporaryDirectory(prefix="a4pdf-") as workdir:
            page_file = Path(workdir) / "page.html"
            page_file.write_text(html, encoding="utf-8")
            # Playwright's sync API refuses to run inside an asyncio loop (a Jupyter kernel has
            # one), so the print runs in a thread with a loop of its own, as upstream does.
            with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
                job = pool.submit(asyncio.run, self._print(executable, page_file))
                return job.result()

    async def _print(self, executable: Path, page_file: Path) -> bytes:
        from playwright.async_api import async_playwright

        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(
                executable_path=str(executable),
                args=[*CHROMIUM_ARGS, *self.browser_args],
                handle_sigint=False,
                handle_sigterm=False,
                handle_sighup=False,
            )
            try:
                page = await browser.new_page()
                await page.emulate_media(media="print")
                await page.goto(page_file.as_uri(), wait_until="networkidle")
                await page.wait_for_timeout(self.page_render_timeout)
                return await page.pdf(
                    format=self.paper_format,
                    margin=PAGE_MARGINS,
                    print_background=True,
                    display_header_footer=True,
                    header_template="<div></div>",
                    footer_template=FOOTER_TEMPLATE,
                )
            finally:
                await browser.close()
