"""The build's printer with a real Chromium killed while it starts: every print fails at once,
saying the browser is gone, and the printer closes. Nothing waits on a dead browser."""

import asyncio
import concurrent.futures
import re
import signal
import threading
import time

import psutil
import pytest

from helpers.printing import ChromiumGone, PdfPrinter

# a bound far above what a print or a close takes, so that a wedge fails the test instead of
# hanging the suite
WEDGED = 60


def _browser_processes() -> list[psutil.Process]:
    """Chromium's browser processes under this one (its helpers carry a --type=)."""
    found = []
    for process in psutil.Process().children(recursive=True):
        try:
            command = process.cmdline()
            if "chrom" in process.name() and not any(a.startswith("--type=") for a in command):
                found.append(process)
        except psutil.Error:  # a helper ending while it is looked at
            continue
    return found


def _slow_page(folder):
    """A page whose loading takes 20 s (a script keeps it busy), so that no print of it can end
    before the browser is killed, however fast the machine."""
    page = folder / "page.html"
    busy = "<script>const t = Date.now(); while (Date.now() - t < 20000) {}</script>"
    page.write_text(f"<!doctype html><title>t</title><p>text</p>{busy}", encoding="utf-8")
    return page


def _kill_browsers() -> None:
    for browser in _browser_processes():
        browser.send_signal(signal.SIGKILL)


class _KilledWhileOpeningPages(PdfPrinter):
    """A printer whose browser is killed (SIGKILL) `delay` seconds after it starts opening its
    ready pages, as the build's printer does while the notebooks run. Where the kill lands
    (a page being made, laid out for print, or all open) depends on the delay; on this machine
    0.08 to 0.3 s caught Playwright calls that were never answered."""

    def __init__(self, delay: float, **options) -> None:
        self._delay, self._armed = delay, True
        super().__init__(**options)

    async def _new_page(self):
        if self._armed:
            self._armed = False
            asyncio.get_running_loop().call_later(self._delay, _kill_browsers)
        return await super()._new_page()


@pytest.mark.parametrize("delay", [0.0, 0.05, 0.1, 0.15, 0.3])
def test_a_browser_killed_while_its_pages_open_fails_each_print_and_closes(tmp_path, delay):
    page = _slow_page(tmp_path)
    printer = _KilledWhileOpeningPages(delay, ready_pages=4, thumbnails=False)
    prints = [printer.submit(page) for _ in range(2)]
    for job in prints:
        try:
            error = job.exception(timeout=WEDGED)
        except concurrent.futures.TimeoutError:
            pytest.fail("a print waited on a dead browser")
        assert isinstance(error, ChromiumGone), repr(error)[:300]
        said = str(error)
        assert re.fullmatch(r"Chromium (had exited before|exited while) printing page\.html", said)
    closing = concurrent.futures.ThreadPoolExecutor(1).submit(printer.close)
    closing.result(timeout=WEDGED)
    assert not _browser_processes()


def test_a_browser_killed_as_it_starts_fails_each_print_plainly(tmp_path):
    page = _slow_page(tmp_path)
    killed = threading.Event()

    def kill_once_up() -> None:  # as soon as the browser process exists, before it answers
        deadline = time.monotonic() + WEDGED
        while time.monotonic() < deadline and not killed.is_set():
            if _browser_processes():
                _kill_browsers()
                killed.set()
            time.sleep(0.001)

    watcher = threading.Thread(target=kill_once_up)
    watcher.start()
    printer = PdfPrinter(ready_pages=4, thumbnails=False)
    job = printer.submit(page)
    try:
        error = job.exception(timeout=WEDGED)
    except concurrent.futures.TimeoutError:
        pytest.fail("a print waited on a dead browser")
    finally:
        killed.set()
        watcher.join()
    assert isinstance(error, ChromiumGone), repr(error)[:300]
    assert str(error) == "Chromium had exited before printing page.html"
    concurrent.futures.ThreadPoolExecutor(1).submit(printer.close).result(timeout=WEDGED)
    assert not _browser_processes()
