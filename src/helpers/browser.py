"""Find a Chromium for PDF printing, and install one during set-up when none is found.

Order of preference: the executable named by $AI_WAR_CHROMIUM, Playwright's own downloaded
Chromium, then `chromium`, `chromium-browser` or `google-chrome` on PATH.
"""

import os
import platform
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

CHROMIUM_ENV = "AI_WAR_CHROMIUM"
PATH_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
# Flags for a headless print on a machine without a display or an open network: no sandbox
# (set-up runs as root in containers), no background traffic to Google's hosts.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
INSTALL_HINT = (
    "No Chromium found for PDF output. Install one of: Debian/Ubuntu `apt-get install chromium`, "
    "Fedora `dnf install chromium`, macOS `brew install --cask chromium`, or "
    "`python -m playwright install chromium`; or set AI_WAR_CHROMIUM to a Chromium or Chrome "
    "executable."
)


class ChromiumNotFound(RuntimeError):
    """No usable Chromium on this machine."""


def playwright_chromium() -> Path | None:
    """The Chromium that `playwright install chromium` downloaded, if it is there."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return None
    try:
        with sync_playwright() as playwright:
            return downloaded_by(playwright)
    except Exception:  # Playwright that cannot start: no downloaded browser to use
        return None


def downloaded_by(playwright: object) -> Path | None:
    """The Chromium that a running Playwright (sync or async API) downloaded, if it is there."""
    try:
        path = Path(playwright.chromium.executable_path)
    except Exception:  # Playwright raises a plain Error when its browser is not installed
        return None
    return path if path.is_file() else None


def find_chromium() -> Path:
    """The Chromium executable to print with; raises ChromiumNotFound with what to install."""
    return chromium_among(playwright_chromium)


def chromium_among(downloaded: Callable[[], Path | None]) -> Path:
    """`find_chromium`'s choice, asking `downloaded` for Playwright's own Chromium (a running
    Playwright knows where it is: asking a new one costs half a second) only when no executable
    is named by $AI_WAR_CHROMIUM."""
    named = os.environ.get(CHROMIUM_ENV)
    if named:
        path = Path(named)
        if not (path.is_file() and os.access(path, os.X_OK)):
            raise ChromiumNotFound(f"{CHROMIUM_ENV}={named} is not an executable file")
        return path
    found = downloaded()
    if found:
        return found
    for name in PATH_NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    raise ChromiumNotFound(INSTALL_HINT)


def _is_debian_root() -> bool:
    return (
        platform.system() == "Linux"
        and Path("/etc/debian_version").exists()
        and os.geteuid() == 0
        and shutil.which("apt-get") is not None
    )


def ensure_chromium() -> Path:
    """Find a Chromium, or install one: Playwright's download, else Debian's package as root."""
    try:
        return find_chromium()
    except ChromiumNotFound:
        pass
    print("No Chromium found: trying Playwright's download ...", file=sys.stderr)
    download = [sys.executable, "-m", "playwright", "install", "chromium"]
    try:
        subprocess.run(download, check=True, timeout=300, capture_output=True)
        return find_chromium()
    except (subprocess.SubprocessError, ChromiumNotFound):
        print("Playwright's download did not work here.", file=sys.stderr)
    if _is_debian_root():
        print("Installing Debian's chromium package with apt-get ...", file=sys.stderr)
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        subprocess.run(["apt-get", "update", "-qq"], check=True, env=env, stdout=sys.stderr)
        packages = ["chromium", "fonts-dejavu-core", "fonts-liberation"]
        install = ["apt-get", "install", "-y", "-qq", *packages]
        subprocess.run(install, check=True, env=env, stdout=sys.stderr)  # stdout: the path only
        return find_chromium()
    raise ChromiumNotFound(INSTALL_HINT)


def main() -> int:
    """`python -m helpers.browser`: print the Chromium used for PDF, installing one if needed."""
    try:
        print(ensure_chromium())
    except (ChromiumNotFound, subprocess.SubprocessError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
