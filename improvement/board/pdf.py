"""Server-side PDF of a rendered page, printed by headless Chromium (charts stay vector: plotly draws SVG).

The browser is handed the HTML as the answer to its one navigation, and its /static/ requests are answered from
the static files on disk: the server never fetches its own URLs and nothing leaves the machine.

Each server process keeps one Chromium, started on its first print and owned by one printer thread (Playwright's
sync API is bound to the thread that started it), so a print costs a new page, not a new browser; prints in one
process queue behind each other instead of starting browsers side by side.
"""

import concurrent.futures
import mimetypes
import os
import queue
import threading
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from playwright.sync_api import Error as PlaywrightError, sync_playwright  # noqa: F401 (PlaywrightError is for callers)

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
BASE = "http://report.invalid/"
# The footer of every page: the trust (from the paper, in a data attribute of its <body>) and the page number.
FOOTER = ('<div style="font-size:8px;font-family:Arial,sans-serif;color:#4c6272;width:100%;margin:0 12mm;'
          'display:flex;justify-content:space-between"><span class="title"></span>'
          '<span>Page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>')
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def _static_file(url, base):
    path = "/" + url.removeprefix(base).split("?")[0]
    if not path.startswith(settings.STATIC_URL) or ".." in path:
        return None
    relative = path.removeprefix(settings.STATIC_URL)
    found = finders.find(relative)
    if not found and settings.STATIC_ROOT:
        candidate = Path(settings.STATIC_ROOT) / relative
        found = str(candidate) if candidate.is_file() else None
    return Path(found) if found else None


PRINT_SECONDS = 60  # a print that takes longer is abandoned (the caller answers 503)


def render_pdf(html, base_url=BASE):
    """A4 PDF of `html`, as if served at `base_url` (its links then point at the app itself), tagged for screen
    readers, with an outline of its headings, each page footed with the document's title and its number."""
    base = base_url if base_url.endswith("/") else base_url + "/"
    return _printer.print(html, base)


def _print(browser, html, base):
    context = browser.new_context()
    try:
        page = context.new_page()

        def answer(route):
            if route.request.url == base:
                route.fulfill(status=200, body=html, content_type="text/html; charset=utf-8")
                return
            path = _static_file(route.request.url, base)
            if path is None:
                route.fulfill(status=404, body="")
            else:
                route.fulfill(status=200, body=path.read_bytes(),
                              content_type=mimetypes.guess_type(path.name)[0] or "application/octet-stream")

        page.route(f"{base}**", answer)
        page.route(lambda url: not url.startswith(base), lambda route: route.abort())  # nothing leaves the machine
        page.goto(base, wait_until="load")  # a real navigation: scripts run as on any page
        page.wait_for_function(
            "() => [...document.querySelectorAll('[data-figure]')].every(el => el.querySelector('.main-svg'))",
            timeout=20_000,
        )
        return page.pdf(format="A4", print_background=True, tagged=True, outline=True, display_header_footer=True,
                        header_template="<span></span>", footer_template=FOOTER,
                        margin={"top": "15mm", "bottom": "18mm", "left": "12mm", "right": "12mm"})
    finally:
        context.close()


class _Printer:
    """The process's printer thread and its browser (restarted if it crashed)."""

    def __init__(self):
        self._jobs = queue.Queue()
        self._thread = None
        self._lock = threading.Lock()

    def print(self, html, base):
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name="pdf-printer", daemon=True)
                self._thread.start()
        job = concurrent.futures.Future()
        self._jobs.put((html, base, job))
        try:
            return job.result(timeout=PRINT_SECONDS)
        except concurrent.futures.TimeoutError:
            job.cancel()
            raise PlaywrightError("The PDF took too long to print") from None

    def _run(self):
        with sync_playwright() as playwright:
            browser = None
            while True:
                html, base, job = self._jobs.get()
                if not job.set_running_or_notify_cancel():
                    continue
                try:
                    if browser is None or not browser.is_connected():
                        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
                    job.set_result(_print(browser, html, base))
                except Exception as error:  # the caller says so (503); the next print starts a fresh browser
                    job.set_exception(error)
                    if browser is not None:
                        try:
                            browser.close()
                        except PlaywrightError:
                            pass
                    browser = None


_printer = _Printer()
