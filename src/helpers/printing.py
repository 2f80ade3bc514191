"""Printing the report's HTML to A4 PDF in one headless Chromium (Playwright), with the running
head, page numbers, a repaired outline and the picture of the lead chart for the index's card.

Apart from the nbconvert exporter (helpers.pdf_export), so that a build starts its browser
without importing nbconvert.
"""

import asyncio
import concurrent.futures
import contextlib
import html
import inspect
import io
import logging
import os
import threading
from collections.abc import Awaitable
from pathlib import Path
from typing import TypeVar

from helpers.browser import CHROMIUM_ARGS, chromium_among, downloaded_by
from helpers.index import THUMBNAIL
from helpers.paths import TEMPLATES_DIR

# Chromium draws the header and footer in their own page context: styles inline, sizes explicit.
HEADER_TEMPLATE = (TEMPLATES_DIR / "print" / "header.html").read_text(encoding="utf-8")
# the running head a page asks for (the report's title and data date), else its title
RUNNING_HEAD = "document.querySelector('meta[name=running-head]')?.content || document.title"
FOOTER_TEMPLATE = (TEMPLATES_DIR / "print" / "footer.html").read_text(encoding="utf-8")
PAGE_MARGINS = {"top": "18mm", "bottom": "20mm", "left": "16mm", "right": "16mm"}
# Bounds on waiting for the browser, so that a Chromium that dies or hangs mid-print fails the
# print instead of wedging an unattended build. A report prints in seconds.
PRINT_TIMEOUT = 300
CLOSE_TIMEOUT = 60
# The picture of a printed page's lead chart for its card on reports/index.html: the chart as
# printed, one CSS pixel a pixel, in a window of 1280 x THUMBNAIL_MAX_HEIGHT px, so that its size
# never grows with the data (the chart's SVG does).
LEAD_CHART = "figure .chart[aria-label]"
THUMBNAIL_MAX_HEIGHT = 900


T = TypeVar("T")


class ChromiumGone(RuntimeError):
    """The browser exited (killed, crashed) before a page was printed."""


class _TrailerSizeNotice(logging.Filter):
    """Chromium's tagged PDFs declare an object or two fewer than they hold; pypdf copes and
    says so at warning level in every build log. Only that notice is dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "exceeds defined trailer size" not in record.getMessage()


logging.getLogger("pypdf._writer").addFilter(_TrailerSizeNotice())


def _undoubled(title: str) -> str:
    half = len(title) // 2
    if len(title) % 2 == 0 and half and title[:half] == title[half:]:
        return title[:half]
    return title


def repair_outline(pdf: bytes) -> bytes:
    """The PDF with each bookmark title that Chromium wrote twice ("TitleTitle") written once.

    Chromium repeats the text of a heading in its bookmark when the heading was moved to the
    next page to keep it with what follows (CSS `break-after: avoid`). Nothing else changes.
    """
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

    reader = PdfReader(io.BytesIO(pdf))
    # the outline is read first, lazily: most PDFs have nothing to repair, and cloning the
    # whole document to find that out costs about a second a report
    if not _doubled_bookmarks(reader.trailer["/Root"]):
        return pdf
    writer = PdfWriter(clone_from=reader)
    for number in _doubled_bookmarks(writer.root_object):
        item = writer.get_object(number)
        item[NameObject("/Title")] = TextStringObject(_undoubled(str(item["/Title"])))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _doubled_bookmarks(root) -> list[int]:
    """The object numbers of the bookmarks under the catalogue `root` whose title is doubled."""
    if "/Outlines" not in root:
        return []
    doubled = []
    pending = [root["/Outlines"].get("/First")]
    while pending:
        reference = pending.pop()
        if reference is None:
            continue
        item = reference.get_object()
        title = str(item.get("/Title", ""))
        if _undoubled(title) != title:
            doubled.append(reference.idnum)
        pending += [item.get("/First"), item.get("/Next")]
    return doubled


def thumbnail_of(page_file: Path) -> Path:
    """Where the picture of the lead chart of the page `page_file` is written: beside it."""
    return page_file.with_name(f"{page_file.stem}{THUMBNAIL}")


# In the page (print media, as the PDF was laid out): the first chart picture shown, scrolled to
# the top of the window, and its box there; null when the page has none.
_LEAD_CHART_BOX = """chart => {
  const svg = [...chart.querySelectorAll('svg')].find(s => s.getBoundingClientRect().width > 0);
  if (!svg) return null;
  svg.scrollIntoView({block: 'start'});
  const box = svg.getBoundingClientRect();
  return {x: box.x, y: box.y, width: box.width, height: box.height};
}"""


async def _snap_lead_chart(page, target: Path) -> None:
    """Write to `target` a PNG of the lead chart of the printed `page`; nothing when the page has
    no chart. The chart as the page was just laid out for print (switching the page to screen
    media would lay out a 16 MB page of 1000x the facts again: 11 s instead of 3 s), in a
    window of 1280 x THUMBNAIL_MAX_HEIGHT px, which bounds the picture whatever the data."""
    chart = page.locator(LEAD_CHART).first
    if not await chart.count():
        return
    await page.set_viewport_size({"width": 1280, "height": THUMBNAIL_MAX_HEIGHT})
    box = await chart.evaluate(_LEAD_CHART_BOX)
    if not box or box["width"] < 1 or box["height"] < 1:
        return
    top, left = max(box["y"], 0), max(box["x"], 0)
    png = await page.screenshot(
        type="png",
        clip={  # in the window's coordinates
            "x": left,
            "y": top,
            "width": min(box["width"], 1280 - left),
            "height": min(box["height"], THUMBNAIL_MAX_HEIGHT - top),
        },
        scale="css",
        animations="disabled",
        timeout=PRINT_TIMEOUT * 1000,
    )
    target.write_bytes(png)


class PdfPrinter:
    """One Chromium, started in a thread of its own, printing HTML files to PDF as they come.

    Starting it before the notebooks run hides the browser's start-up; pages print concurrently.
    Use as a context manager; `submit` returns a Future of the PDF bytes. With `thumbnails`
    (the build's printer), each page printed also leaves beside it, as `<name>.thumb.png`, a
    picture of its lead chart for the index's card (none when the page has no chart).
    """

    def __init__(
        self,
        executable: Path | None = None,
        paper_format: str = "A4",
        extra_args: list[str] | None = None,
        temp_dir: Path | None = None,
        thumbnails: bool = True,
        ready_pages: int = 0,
    ) -> None:
        """`temp_dir`: Chromium's TMPDIR (its shared-memory files live there, as /dev/shm is not
        used); a folder the caller removes even when the browser was killed before it could.
        `ready_pages`: how many pages (tabs) to open as soon as the browser is up, for the
        first prints: a page opened while the notebooks run is not opened after them."""
        self._executable = executable  # None: found by the Playwright this printer starts
        self._env = {**os.environ, "TMPDIR": str(temp_dir)} if temp_dir else None
        self._paper_format = paper_format
        self._thumbnails = thumbnails
        self._ready_pages = ready_pages
        self._spare_pages: list = []
        self._args = [*CHROMIUM_ARGS, *(extra_args or [])]
        # Playwright's sync API refuses to run inside an asyncio loop (a Jupyter kernel has one),
        # so the browser lives on an event loop of its own, in its own thread.
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="pdf-printer", daemon=True
        )
        self._thread.start()
        self._started = asyncio.run_coroutine_threadsafe(self._start(), self._loop)

    async def _start(self) -> None:
        from playwright.async_api import async_playwright

        self._playwright = await async_playwright().start()
        if self._executable is None:
            self._executable = chromium_among(lambda: downloaded_by(self._playwright))
        try:
            self._browser = await self._playwright.chromium.launch(
                executable_path=str(self._executable),
                args=self._args,
                handle_sigint=False,
                handle_sigterm=False,
                handle_sighup=False,
                env=self._env,
            )
        except Exception as err:  # its class is not in Playwright's public API
            if type(err).__name__ != "TargetClosedError":
                raise
            # killed while it started: said plainly, not with the browser's whole log
            raise ChromiumGone("Chromium exited while starting") from err
        # A call Playwright sends while the browser is dying may never be answered; the
        # browser's end is watched instead, and every call still waiting fails at once.
        self._gone = asyncio.Event()
        self._browser.on("disconnected", lambda browser: self._gone.set())
        if not self._browser.is_connected():  # it died before it could be watched
            self._gone.set()
        await self._unless_gone(self._open_pages(), "opening its pages")

    async def _open_pages(self) -> None:
        # the window the lead chart's picture is taken in: the picture then needs no new layout
        # of the page (the PDF is laid out on its paper, whatever the window). One context for
        # every page: a context of its own per page costs the browser about 0.3 s of processor
        # each, and these pages share nothing (local files, no storage).
        window = {"width": 1280, "height": THUMBNAIL_MAX_HEIGHT} if self._thumbnails else None
        self._context = await self._browser.new_context(viewport=window)
        for _ in range(self._ready_pages):
            self._spare_pages.append(await self._new_page())

    async def _unless_gone(self, step: Awaitable[T], doing: str) -> T:
        """The result of `step`, a call to the browser; ChromiumGone as soon as the browser is
        gone (saying what it was `doing`), TimeoutError after PRINT_TIMEOUT seconds."""
        if self._gone.is_set():
            if inspect.iscoroutine(step):
                step.close()  # a coroutine never awaited warns when collected; closed, it does not
            raise ChromiumGone(f"Chromium had exited before {doing}")
        running = asyncio.ensure_future(step)
        gone = asyncio.ensure_future(self._gone.wait())
        done, _ = await asyncio.wait(
            {running, gone}, timeout=PRINT_TIMEOUT, return_when=asyncio.FIRST_COMPLETED
        )
        gone.cancel()
        if running in done and not (running.exception() and self._dead()):
            return running.result()
        running.cancel()
        if self._dead():  # also a call refused because the browser had just closed
            raise ChromiumGone(f"Chromium exited while {doing}")
        raise TimeoutError(f"Chromium did not finish {doing} in {PRINT_TIMEOUT} s")

    def _dead(self) -> bool:
        return self._gone.is_set() or not self._browser.is_connected()

    async def _new_page(self):
        """A page of the printer's context, laid out for print."""
        page = await self._context.new_page()
        await page.emulate_media(media="print")
        return page

    async def _print_or_fail(self, page_file: Path, wait_ms: int) -> bytes:
        """`_print`, failing as soon as Chromium is gone, or after PRINT_TIMEOUT seconds."""
        try:  # bounded too: Playwright's own start has no time limit of its own
            started = asyncio.shield(asyncio.wrap_future(self._started))
            await asyncio.wait_for(started, PRINT_TIMEOUT)
        except ChromiumGone as gone:
            raise ChromiumGone(f"Chromium had exited before printing {page_file.name}") from gone
        except TimeoutError:
            raise TimeoutError(f"Chromium did not start in {PRINT_TIMEOUT} s") from None
        return await self._unless_gone(
            self._print(page_file, wait_ms), f"printing {page_file.name}"
        )

    async def _print(self, page_file: Path, wait_ms: int) -> bytes:
        page = self._spare_pages.pop() if self._spare_pages else await self._new_page()
        try:
            # the report is self-contained: once loaded, nothing more will arrive from a network
            await page.goto(
                page_file.resolve().as_uri(), wait_until="load", timeout=PRINT_TIMEOUT * 1000
            )
            if wait_ms:
                await page.wait_for_timeout(wait_ms)
            running = await page.evaluate(RUNNING_HEAD)
            pdf = await page.pdf(
                format=self._paper_format,
                margin=PAGE_MARGINS,
                print_background=True,
                display_header_footer=True,
                header_template=HEADER_TEMPLATE.replace("{running}", html.escape(running)),
                footer_template=FOOTER_TEMPLATE,
                outline=True,  # bookmarks from the headings, for a reader's sidebar
                tagged=True,  # a structure tree, for screen readers and text extraction
            )
            if self._thumbnails:
                await _snap_lead_chart(page, thumbnail_of(page_file))
        finally:
            await page.close()
        # off the browser's event loop: the other pages keep printing meanwhile
        return await asyncio.to_thread(repair_outline, pdf)

    def submit(self, page_file: Path, wait_ms: int = 0) -> concurrent.futures.Future:
        """Start printing `page_file`; the Future gives the PDF's bytes, or raises TimeoutError
        after PRINT_TIMEOUT seconds."""
        return asyncio.run_coroutine_threadsafe(self._print_or_fail(page_file, wait_ms), self._loop)

    async def _stop(self) -> None:
        with contextlib.suppress(Exception):
            await asyncio.wrap_future(self._started)
            if not self._gone.is_set():  # closing a dead browser may never return
                await self._browser.close()
        with contextlib.suppress(Exception):
            await self._playwright.stop()

    def close(self) -> None:
        """Close the browser and stop its thread, CLOSE_TIMEOUT seconds at most.

        A browser that does not answer is left to Playwright's driver, which ends it when this
        process exits (its pipe closes); the thread is a daemon.
        """
        stopping = asyncio.run_coroutine_threadsafe(self._stop(), self._loop)
        try:
            stopping.result(timeout=CLOSE_TIMEOUT)
        except concurrent.futures.TimeoutError:
            stopping.cancel()
            return
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()

    def __enter__(self) -> "PdfPrinter":
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


def print_pdfs(
    pages: list[Path],
    executable: Path | None = None,
    paper_format: str = "A4",
    extra_args: list[str] | None = None,
    render_wait_ms: int = 0,
) -> list[bytes]:
    """Print each HTML file of `pages` to PDF bytes, all in one Chromium, concurrently."""
    with PdfPrinter(executable, paper_format, extra_args, thumbnails=False) as printer:
        futures = [printer.submit(page, render_wait_ms) for page in pages]
        return [future.result() for future in futures]
