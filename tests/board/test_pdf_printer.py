"""The printer keeps its page drawn between prints (improvement.board.pdf): a print that swaps the next paper into
that page gives what a fresh page gives, and nothing of the paper before it."""

import io
import json
import socket

import pytest
from pypdf import PdfReader

from improvement.board import pdf
from improvement.board.views import _printable

from ..factories import StrategyFactory

FIGURE = {"data": [{"type": "scatter", "mode": "lines", "x": ["2023-01-31", "2023-02-28", "2023-03-31"], "y": [3, 1, 2]}],
          "layout": {"height": 300}}


def _paper(title, words):
    chart = f"<div data-figure='{json.dumps(FIGURE)}'></div>"
    icon = '<img src="/static/vendor/making-data-count/variation/common_cause.svg" alt="">'
    return f"<h1>{title}</h1><p>{words}</p>{chart}{icon}"


def _text(data):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def printable(db):
    strategy = StrategyFactory()
    return lambda title, words: _printable(strategy, title, _paper(title, words))


def test_the_next_paper_prints_in_the_kept_page_as_a_fresh_page_prints_it(printable, monkeypatch):
    monkeypatch.setattr(pdf, "_printer", pdf._Printer())  # a new worker's printer: no browser yet
    first = pdf.render_pdf(printable("Year 1 board paper", "Falls fell by a third."))
    opened = []
    monkeypatch.setattr(pdf._Sheet, "_open", lambda self, *args, _open=pdf._Sheet._open: opened.append(1) or _open(self, *args))
    second = pdf.render_pdf(printable("Year 2 board paper", "Discharges before noon rose."))
    assert not opened  # printed in the page the first paper was drawn in
    assert "Year 1" in _text(first) and "Falls fell" in _text(first)
    assert "Discharges before noon rose." in _text(second) and "Falls fell" not in _text(second)
    monkeypatch.setattr(pdf, "_printer", pdf._Printer())
    assert _text(pdf.render_pdf(printable("Year 2 board paper", "Discharges before noon rose."))) == _text(second)
    assert opened  # the fresh printer opened its page


def test_another_address_opens_the_page_afresh(printable, monkeypatch):
    monkeypatch.setattr(pdf, "_printer", pdf._Printer())
    pdf.render_pdf(printable("Year 1 board paper", "Falls fell by a third."), base_url="http://one.example/")
    opened = []
    monkeypatch.setattr(pdf._Sheet, "_open", lambda self, *args, _open=pdf._Sheet._open: opened.append(1) or _open(self, *args))
    pdf.render_pdf(printable("Year 1 board paper", "Falls fell by a third."), base_url="http://two.example/")
    assert opened


def test_printing_opens_no_connection_to_the_apps_own_address(printable, monkeypatch):
    """Chromium connects to the address it navigates to, whatever answers the navigation: an idle connection to the
    app held a gunicorn worker (bench/run: /healthz waited a second behind a print). The page's own address is one no
    one answers; the paper's links still point at the app."""
    monkeypatch.setattr(pdf, "_printer", pdf._Printer())
    with socket.socket() as app:
        app.bind(("127.0.0.1", 0))
        app.listen()
        app.settimeout(2)
        base = f"http://127.0.0.1:{app.getsockname()[1]}/"
        html = printable("Year 1 board paper", 'Falls fell by a third. <a href="/goals/1/">Goal 1</a>')
        data = pdf.render_pdf(html, base_url=base)
        with pytest.raises(TimeoutError):
            app.accept()
    links = [annotation.get_object()["/A"]["/URI"] for page in PdfReader(io.BytesIO(data)).pages
             for annotation in page.get("/Annots", []) if "/A" in annotation.get_object()]
    assert f"{base}goals/1/" in links
    assert "Falls fell by a third." in _text(data)
