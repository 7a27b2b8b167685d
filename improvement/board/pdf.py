"""Server-side PDF of a rendered page, printed by headless Chromium (charts stay vector: plotly draws SVG).

The browser is handed the HTML as the answer to its one navigation, and its /static/ requests are answered from
the static files on disk: the server never fetches its own URLs and nothing leaves the machine.

Each server process keeps one Chromium, started on its first print and owned by one printer thread (Playwright's
sync API is bound to the thread that started it), and one page in it, kept drawn: a print replaces the paper in that
page instead of loading a new page with its scripts and stylesheets (about a second instead of four or five); prints
in one process queue behind each other instead of starting browsers side by side.
"""

import concurrent.futures
import mimetypes
import os
import queue
import re
import threading
from html import escape
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


# The page is kept drawn between prints: a new paper replaces its <body> (and title) in place, so plotly.js (4.8 MB),
# the stylesheets and htmx are not fetched and run again for every print (seconds); its charts are drawn by the
# page's own charts.js, as an htmx swap draws them. A paper whose <head> differs, or another base URL, is navigated
# to afresh; so is every RENEW_AFTER-th print, so that nothing a page gathers over many prints outlives it.
RENEW_AFTER = 50
SWAP = """html => {
  const paper = new DOMParser().parseFromString(html, "text/html");
  document.querySelectorAll("[data-figure]").forEach(plot => window.Plotly.purge(plot));
  document.title = paper.title;
  const body = document.body;  // kept: htmx listens on it (htmx.onLoad)
  [...body.attributes].forEach(attribute => body.removeAttribute(attribute.name));
  [...paper.body.attributes].forEach(attribute => body.setAttribute(attribute.name, attribute.value));
  body.replaceChildren(...[...paper.body.childNodes].map(node => document.adoptNode(node)));
  window.htmx.trigger(body, "htmx:load");
}"""
# Ready to print: every chart drawn, every image (the Making Data Count icons) loaded.
DRAWN = ("() => [...document.querySelectorAll('[data-figure]')].every(el => el.querySelector('.main-svg'))"
         " && [...document.images].every(image => image.complete)")


def _head(html):
    """The part of a page that must be the same for a print to reuse the drawn page: all before <body>, but the title."""
    head = html.split("<body", 1)[0]
    return re.sub(r"<title>.*?</title>", "", head, flags=re.S)


class _Sheet:
    """The printer's browser page, with what the last paper loaded kept drawn."""

    def __init__(self, browser):
        self.browser = browser
        self.context = self.page = self.shell = None
        self.prints = 0

    def print(self, html, base):
        shell = (_head(html), base)
        if self.page is None or shell != self.shell or self.prints >= RENEW_AFTER:
            self._open(html, base)
            self.shell, self.prints = shell, 0
        else:
            self.page.evaluate(SWAP, html)
        self.prints += 1
        self.page.wait_for_function(DRAWN, timeout=20_000)
        return self.page.pdf(format="A4", print_background=True, tagged=True, outline=True, display_header_footer=True,
                             header_template="<span></span>", footer_template=FOOTER,
                             margin={"top": "15mm", "bottom": "18mm", "left": "12mm", "right": "12mm"})

    def _open(self, html, base):
        """Load the paper in a fresh page. The page's own address is BASE, which no one answers: Chromium opens a
        connection to the address it navigates to, whatever answers the navigation, and an idle connection to the
        app would hold a worker (or leave the machine). A <base> makes the paper's links and files the app's."""
        self.close()
        self.context = self.browser.new_context()
        page = self.context.new_page()
        if base != BASE:
            html = re.sub(r"<head(\s[^>]*)?>", lambda head: f'{head.group(0)}<base href="{escape(base)}">', html, count=1)

        def answer(route):
            url = route.request.url
            if url == BASE:
                route.fulfill(status=200, body=html, content_type="text/html; charset=utf-8")
                return
            path = _static_file(url, base) if url.startswith(base) else None
            if path is None:
                route.fulfill(status=404, body="")
            else:
                route.fulfill(status=200, body=path.read_bytes(),
                              content_type=mimetypes.guess_type(path.name)[0] or "application/octet-stream")

        def ours(url):
            return url == BASE or url.startswith(base)

        page.route(ours, answer)
        page.route(lambda url: not ours(url), lambda route: route.abort())  # nothing leaves the machine
        page.goto(BASE, wait_until="load")  # a real navigation: scripts run as on any page
        self.page = page

    def close(self):
        if self.context is not None:
            self.context.close()
        self.context = self.page = self.shell = None


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
            sheet = None
            while True:
                html, base, job = self._jobs.get()
                if not job.set_running_or_notify_cancel():
                    continue
                try:
                    if sheet is None or not sheet.browser.is_connected():
                        sheet = _Sheet(playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS))
                    job.set_result(sheet.print(html, base))
                except Exception as error:  # the caller says so (503); the next print starts a fresh browser
                    job.set_exception(error)
                    if sheet is not None:
                        try:
                            sheet.browser.close()
                        except PlaywrightError:
                            pass
                    sheet = None


_printer = _Printer()
