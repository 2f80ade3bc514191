"""A published page opened in the machine's Chromium, with everything it did recorded."""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from playwright.sync_api import Browser, Page, sync_playwright

from helpers.browser import CHROMIUM_ARGS, find_chromium

# Every image of the page, decoded: naturalWidth is 0 for an image the browser could not read.
DECODE_IMAGES = """async () => Promise.all([...document.images].map(async (img) => {
    try { await img.decode(); } catch (error) { return {alt: img.alt, width: 0}; }
    return {alt: img.alt, width: img.naturalWidth};
}))"""


# Every chart of the page: inline SVG inside an element named by an aria-label (its alt text).
DRAWN_CHARTS = """() => [...document.querySelectorAll('figure .chart[aria-label]')].map((chart) => {
    const svg = chart.querySelector('svg');
    return {label: chart.getAttribute('aria-label') || '',
            width: svg ? svg.getBoundingClientRect().width : 0,
            texts: svg ? svg.querySelectorAll('text').length : 0};
})"""


# Every word of the charts as a reader sees it: the SVGs shown (a layout hidden by report.css is
# not), each text's size on screen in CSS pixels (its font size in the chart's units times the
# chart's scale on screen) and the height of its box as laid out.
CHART_WORDS = """() => [...document.querySelectorAll('figure .chart svg')]
    .filter((svg) => getComputedStyle(svg).display !== 'none')
    .flatMap((svg) => [...svg.querySelectorAll('text')].map((text) => {
        const matrix = text.getScreenCTM();
        return {chart: svg.id, layout: svg.getAttribute('class') || '', text: text.textContent,
                px: parseFloat(getComputedStyle(text).fontSize) * Math.hypot(matrix.a, matrix.b),
                height: text.getBoundingClientRect().height};
    }))"""

# Characters on each full line of the running text (every line of a paragraph or list item but its
# last), found by the box of each character: what a reader's eye travels along.
LINE_LENGTHS = """() => {
  const lengths = [];
  const range = document.createRange();
  for (const block of document.querySelectorAll('main p, main li')) {
    if (block.closest('figure, nav, ol.sources, table')) continue;
    const perLine = new Map();
    const walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      for (let i = 0; i < node.length; i++) {
        range.setStart(node, i); range.setEnd(node, i + 1);
        const box = range.getClientRects()[0];
        if (!box) continue;
        const line = Math.round(box.bottom / 4);  // superscript citations sit on their line
        perLine.set(line, (perLine.get(line) || 0) + 1);
      }
    }
    const lines = [...perLine.keys()].sort((a, b) => a - b);
    for (const line of lines.slice(0, -1)) lengths.push(perLine.get(line));
  }
  return lengths;
}"""


@dataclass
class Visit:
    """A page and what happened while it loaded: console errors, requests, dialogs."""

    page: Page
    url: str
    console_errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def requests_elsewhere(self) -> list[str]:
        """Requests for anything but the page itself and the data: URIs inside it."""
        return [url for url in self.requests if url != self.url and not url.startswith("data:")]

    def decoded_images(self) -> list[dict]:
        return self.page.evaluate(DECODE_IMAGES)

    def chart_words(self) -> list[dict]:
        """Each word of the charts shown: chart, layout, text, size on screen (px), box height."""
        return self.page.evaluate(CHART_WORDS)

    def line_lengths(self) -> list[int]:
        """Characters per full line of the running text, as laid out."""
        return self.page.evaluate(LINE_LENGTHS)

    def drawn_charts(self) -> list[dict]:
        """Each chart as laid out: its accessible name, drawn width and how many texts it holds."""
        return self.page.evaluate(DRAWN_CHARTS)


@contextmanager
def chromium() -> Iterator[Browser]:
    """The Chromium that the set-up found, driven by Playwright."""
    with sync_playwright() as playwright:
        executable = str(find_chromium())
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def visit(browser: Browser, html_file: Path, width: int = 1280) -> Iterator[Visit]:
    """Open `html_file` in a fresh context and record what it does until the caller is done."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    seen = Visit(page=page, url=html_file.resolve().as_uri())
    page.on("console", lambda m: seen.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda error: seen.console_errors.append(str(error)))
    page.on("request", lambda request: seen.requests.append(request.url))

    def refuse(dialog) -> None:  # an alert() from the page would otherwise block it
        seen.dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", refuse)
    try:
        page.goto(seen.url, wait_until="load")
        yield seen
    finally:
        context.close()
