"""Downloading sensitive figures asks the reader to confirm first.

A download (a chart's image or data, a board pack, a dataset from the API) whose figures come from an
OFFICIAL-SENSITIVE dataset is not sent until the address carries ``confirm=yes``: a browser is shown a
page saying what the mark means, with the download link; any other client gets 428 and the same words.
Runs after the view is chosen, so only a reader allowed to see the figures gets this far.
"""

from __future__ import annotations

from flask import Flask, g, jsonify, render_template, request

from data import schema
from data.marking import datasets_of, marking_of
from data.queries import Filters
from sections import BY_SLUG, SECTIONS, section_charts
from sections.links import ALL_SECTIONS

CONFIRM = "confirm"
CONFIRMED = "yes"


def downloaded_datasets() -> list[str] | None:
    """The datasets the request downloads figures from (None: it is not a download)."""
    parts = request.path.strip("/").split("/")
    if request.path.startswith("/export/chart/") and len(parts) == 4:
        section = BY_SLUG.get(parts[2])
        view = g.get("view")
        if section is None or view is None:
            return None
        key = parts[3].rpartition(".")[0]
        charts = [c for c in section_charts(section, view.store, Filters.from_query(request.args)) if c.key == key]
        # The chart's own figures decide (an OFFICIAL chart on a page with sensitive ones downloads at once).
        return datasets_of(charts[0].rows, section.datasets) if charts else None
    if request.path.startswith("/export/pack."):
        scope = request.args.get("section", ALL_SECTIONS)
        sections = SECTIONS if scope == ALL_SECTIONS else [BY_SLUG[scope]] if scope in BY_SLUG else []
        return [d for s in sections for d in s.datasets]
    if request.path.startswith("/api/v1/datasets/") and len(parts) == 4 and parts[3].endswith((".csv", ".json")):
        if parts[3].endswith("-metadata.json"):
            return None  # its CSVW description, not its figures: CSVW readers fetch it unasked
        return [parts[3].split(".", 1)[0]]
    if request.path == "/publish/workbook.xlsx":
        view = g.get("view")
        return list(view.store.catalogue) if view is not None else None
    return None


def install(server: Flask) -> None:
    @server.before_request
    def confirm_sensitive_downloads():
        if request.method != "GET" or request.args.get(CONFIRM) == CONFIRMED:
            return None
        datasets = downloaded_datasets()
        view = g.get("view")
        if datasets is None or view is None or marking_of(view.store, datasets) != schema.OFFICIAL_SENSITIVE:
            return None
        sep = "&" if request.query_string else "?"
        target = f"{request.full_path.rstrip('?')}{sep}{CONFIRM}={CONFIRMED}"
        words = (
            "These figures are marked OFFICIAL-SENSITIVE. Download them only to a device your organisation "
            "allows for such material, share them only with people allowed to see them, and keep the mark "
            "on anything you make from them."
        )
        if any(kind == "text/html" for kind, _ in request.accept_mimetypes):  # a browser, asking for a page
            back = request.referrer if (request.referrer or "").startswith(request.host_url) else "/"
            return render_template(
                "web/confirm.html",
                title="Confirm the download",
                words=words,
                target=target,
                back=back,
                marking=schema.OFFICIAL_SENSITIVE,
            )
        return jsonify({"error": f"{words} To confirm, add {CONFIRM}={CONFIRMED} to the address.", "status": 428}), 428
