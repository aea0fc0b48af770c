"""Real-browser helpers for tests: headless Debian Chromium driven by Selenium through /usr/bin/chromedriver.

The browser comes from Debian (``apt-get install chromium chromium-driver``; ``./run.sh test`` installs it).
A test that needs it fails, never skips, when it is missing. Performance logging is on, so
``requested_urls`` lists every request the page made and a test can prove nothing left the machine.
"""

from __future__ import annotations

import json
import tempfile
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
WINDOW = (1400, 900)
PAGE_LOAD_TIMEOUT = 60
CHROMIUM_ARGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
)

# Chromium's logs are drained by each read, so what was read is kept per driver.
_requests: weakref.WeakKeyDictionary[webdriver.Chrome, list[str]] = weakref.WeakKeyDictionary()
_console: weakref.WeakKeyDictionary[webdriver.Chrome, list[dict]] = weakref.WeakKeyDictionary()


def require_browser() -> None:
    """Fail the calling test with a clear message when Chromium or chromedriver is not installed."""
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.is_file()]
    if missing:
        pytest.fail(
            f"browser tests need {' and '.join(missing)}: install them as root with "
            "`apt-get install -y chromium chromium-driver` (./run.sh test does it)",
            pytrace=False,
        )


def _options(profile: str) -> webdriver.ChromeOptions:
    """Chromium options: headless, no network chatter of its own, fresh profile, logs on."""
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for arg in CHROMIUM_ARGS:
        options.add_argument(arg)
    options.add_argument(f"--user-data-dir={profile}")
    options.add_argument(f"--window-size={WINDOW[0]},{WINDOW[1]}")
    options.set_capability("goog:loggingPrefs", {"performance": "ALL", "browser": "ALL"})
    return options


@contextmanager
def open_page(path_or_url: str | Path) -> Iterator[webdriver.Chrome]:
    """Open a file (as file://) or URL in headless Chromium; yield the driver and quit it afterwards."""
    require_browser()
    text = str(path_or_url)
    is_url = isinstance(path_or_url, str) and ("://" in text or text.startswith(("data:", "about:")))
    url = text if is_url else Path(text).resolve().as_uri()
    with tempfile.TemporaryDirectory(prefix="smartcity-chromium-") as profile:
        driver = webdriver.Chrome(
            options=_options(profile), service=Service(executable_path=str(CHROMEDRIVER))
        )
        try:
            driver.set_page_load_timeout(PAGE_LOAD_TIMEOUT)
            driver.set_window_size(*WINDOW)
            # Leave Chromium's start page and drop what it logged, so the logs hold only the page's own.
            driver.get("about:blank")
            driver.get_log("performance")
            driver.get_log("browser")
            driver.get(url)
            yield driver
        finally:
            driver.quit()


def requested_urls(driver: webdriver.Chrome) -> list[str]:
    """Every URL the page requested so far (Network.requestWillBeSent), in order."""
    seen = _requests.setdefault(driver, [])
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.requestWillBeSent":
            seen.append(message["params"]["request"]["url"])
    return list(seen)


def console_entries(driver: webdriver.Chrome) -> list[dict]:
    """Every browser console entry so far."""
    seen = _console.setdefault(driver, [])
    seen.extend(driver.get_log("browser"))
    return list(seen)


def js_errors(driver: webdriver.Chrome) -> list[str]:
    """The severe console messages so far (JavaScript errors, failed loads)."""
    return [entry["message"] for entry in console_entries(driver) if entry.get("level") == "SEVERE"]


def screenshot(driver: webdriver.Chrome, path: Path) -> Path:
    """Save a PNG of the window to path and return path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if not driver.save_screenshot(str(path)):
        raise RuntimeError(f"Chromium could not save a screenshot to {path}")
    return path
