"""Publishing in the browser, for analysts: upload, check, preview as a draft, publish; republish an
earlier version (a rollback); mark a version as presented to the board.

- ``GET /publish``: the current version, the upload form, and drafts not yet published.
- ``POST /publish/upload``: CSV files or an Excel workbook, laid over the current version; checked by
  the same rules as ``python -m data validate`` and drawn on every page, slide and export. With any
  problem, every one is listed (file or sheet, line or row, column) and nothing is kept. Otherwise it
  becomes a draft.
- ``GET /publish/drafts/<id>``: what the draft changes, figure by figure, and the link to the dashboard
  drawn from it; ``POST .../publish`` publishes it with a note (one transaction; of two at once, one
  wins and the other is told).
- ``GET /publish/versions/<n>``: one version; ``POST .../republish`` and ``POST .../presented``.
- ``GET /publish/workbook.xlsx?version=N``: a version as a workbook to edit and upload again.
"""

from __future__ import annotations

import csv
import io
import logging
from collections.abc import Callable
from datetime import date

from flask import Blueprint, Flask, Response, abort, g, redirect, render_template, request, url_for

from data.diff import compare
from data.files import MemoryFiles, overlay
from data.loader import DataStore, load_source
from data.marking import sensitive_datasets
from data.published import NoSuchVersion
from data.validation import DataError, Problem, format_report
from data.versions import PublishConflict
from publishing.uploads import MAX_UPLOAD_BYTES, Upload, read_upload
from sections import links
from web.auth import client_address, may_see_sensitive, require
from web.backend import Backend
from web.security import allow_large_body

log = logging.getLogger(__name__)

UPLOAD_PATH = "/publish/upload"
MAX_NOTE = 2000
MAX_MEETING = 300


def register(server: Flask, svc: Backend, drawing_problems: Callable[[DataStore], list[str]]) -> None:
    allow_large_body(UPLOAD_PATH, MAX_UPLOAD_BYTES + 64 * 1024)
    server.register_blueprint(_blueprint(svc, drawing_problems))


def _note(field: str = "note", limit: int = MAX_NOTE) -> str:
    return (request.form.get(field) or "").strip()[:limit]


def check_upload(
    svc: Backend, upload: Upload, drawing_problems
) -> tuple[dict[str, bytes], list[Problem], DataStore | None]:
    """The files of the version the upload would make (laid over the current one), every problem in it
    (the upload's own, then the files' checks, named as the analyst knows the files) and, when there
    are none, the data it would show. The files that could be read are checked even when others could
    not, so one upload shows every problem."""
    current = svc.library.current()
    files = overlay(svc.versions.files(current), upload.files)
    found = list(upload.problems)
    store = None
    try:
        store = load_source(MemoryFiles(files, label="the upload"))
    except DataError as err:
        found += err.problems + err.warnings
    if store is not None:
        found += list(store.warnings)
    named = [upload.name_in_problem(p) for p in found]
    if store is None or any(p.severity == "error" for p in named):
        return files, named, None
    drawn = drawing_problems(store)
    if drawn:
        return files, [*named, *(Problem("(the dashboard)", None, None, p) for p in drawn)], None
    return files, named, store


def _blueprint(svc: Backend, drawing_problems) -> Blueprint:
    bp = Blueprint("publishing", __name__, url_prefix="/publish", template_folder="templates")

    def who() -> str:
        return g.user.username

    def refuse_uncleared(store: DataStore | None = None) -> None:
        """Publishing lays files over the current version and shows every figure of the draft, so an
        analyst whose role may not see OFFICIAL-SENSITIVE figures may not publish where there are any
        (in the current version, or in ``store``): a 403 that says so."""
        user = g.get("user")
        if user is None or may_see_sensitive(user):
            return
        holds = bool(svc.library.current_marks()) or (store is not None and bool(sensitive_datasets(store)))
        if holds:
            abort(
                403,
                "These figures include some marked OFFICIAL-SENSITIVE, which your role may not see, so you "
                "cannot publish them. Ask an admin for a role that may (SPR_SENSITIVE_ROLES).",
            )

    @bp.before_request
    def cleared_for_what_is_published():
        if g.get("user") is not None and g.user.can("analyst"):
            svc.library.current()  # up to date before asking which marks it has
            refuse_uncleared()

    def current_info():
        current = svc.library.current()
        return current, svc.library.info(current)

    @bp.get("")
    @require("analyst")
    def home():
        current, info = current_info()
        return render_template(
            "publishing/publish.html",
            title="Publish figures",
            current=current,
            info=info,
            limit_mb=MAX_UPLOAD_BYTES // (1024 * 1024),
            problems=[],
            uploaded="",
        )

    @bp.post("/upload")
    @require("analyst")
    def upload():
        parts = [(f.filename, f.read(MAX_UPLOAD_BYTES + 1)) for f in request.files.getlist("files") if f.filename]
        current, info = current_info()
        catalogue = svc.library.store(current, sensitive=True).catalogue
        got = read_upload(parts, catalogue)
        files, problems, store = check_upload(svc, got, drawing_problems)
        refuse_uncleared(store)
        errors = [p for p in problems if p.severity == "error"]
        if errors or store is None:
            svc.accounts.record(
                who(), "upload-rejected", f"{got.described}: {len(errors)} problem(s)", client_address()
            )
            page = render_template(
                "publishing/publish.html",
                title="Publish figures: the upload has problems",
                current=current,
                info=info,
                limit_mb=MAX_UPLOAD_BYTES // (1024 * 1024),
                problems=problems,
                report=format_report(problems),
                uploaded=got.described,
            )
            return page, 422
        draft = svc.versions.save_draft(files, current, who(), got.described)
        svc.accounts.record(
            who(), "upload", f"{got.described} as draft {draft.id} over version {current}", client_address()
        )
        return redirect(url_for("publishing.draft", draft_id=draft.id), code=303)

    def draft_page(draft_id: str, message: str = "", status: int = 200):
        draft = svc.versions.draft(draft_id)
        if draft is None:
            abort(404, "There is no such draft.")
        current = svc.library.current()
        cleared = may_see_sensitive(g.user)
        base_store = svc.library.store(draft.base_version, cleared) if draft.base_version else None
        store = svc.library.draft_store(draft, cleared)
        comparison = compare(base_store, store) if base_store is not None else None
        page = render_template(
            "publishing/draft.html",
            title="Draft",
            draft=draft,
            current=current,
            comparison=comparison,
            warnings=list(store.warnings),
            preview=f"/?{links.DRAFT}={draft.id}",
            message=message,
            max_note=MAX_NOTE,
        )
        return page, status

    @bp.get("/drafts/<string:draft_id>")
    @require("analyst")
    def draft(draft_id: str):
        return draft_page(draft_id)

    @bp.post("/drafts/<string:draft_id>/publish")
    @require("analyst")
    def publish(draft_id: str):
        found = svc.versions.draft(draft_id)
        if found is None:
            abort(404, "There is no such draft.")
        note = _note()
        if not note:
            return draft_page(draft_id, "Write a note saying what this version changes, then publish.", 400)
        try:
            version = svc.versions.publish(
                svc.versions.draft_files(draft_id), who(), note, found.base_version, draft=draft_id
            )
        except PublishConflict as err:
            svc.accounts.record(who(), "publish-refused", f"draft {draft_id}: {err}", client_address())
            return draft_page(draft_id, f"{err} Upload your files again to lay them over the current version.", 409)
        svc.library.refresh_now()
        svc.accounts.record(
            who(),
            "publish",
            f"version {version.number} from draft {draft_id}: {', '.join(version.changed)}",
            client_address(),
        )
        return redirect(url_for("publishing.version", number=version.number, published=1), code=303)

    @bp.get("/versions/<int:number>")
    @require("analyst")
    def version(number: int):
        info = svc.library.info(number)
        if info is None:
            abort(404, f"There is no version {number}.")
        return render_template(
            "publishing/version.html",
            title=f"Version {number}",
            info=info,
            current=svc.library.current(),
            published=request.args.get("published") == "1",
            message="",
            today=date.today().isoformat(),
        )

    @bp.post("/versions/<int:number>/republish")
    @require("analyst")
    def republish(number: int):
        if svc.library.info(number) is None:
            abort(404, f"There is no version {number}.")
        refuse_uncleared(svc.library.store(number, sensitive=True))
        note = _note() or f"Version {number} published again."
        base = (request.form.get("base") or "").strip()
        if not base.isdigit():
            abort(400, "The form did not say which version it was made over; open the version's page again.")
        try:
            made = svc.versions.republish(number, who(), note, int(base))
        except PublishConflict as err:
            abort(409, str(err))
        svc.library.refresh_now()
        svc.accounts.record(who(), "republish", f"version {made.number} republishes version {number}", client_address())
        return redirect(url_for("publishing.version", number=made.number, published=1), code=303)

    @bp.post("/versions/<int:number>/presented")
    @require("analyst")
    def presented(number: int):
        text = (request.form.get("presented_on") or "").strip()
        try:
            on = date.fromisoformat(text)
        except ValueError:
            abort(400, "The date of the meeting must be a date (YYYY-MM-DD).")
        meeting = _note("meeting", MAX_MEETING)
        try:
            svc.versions.mark_presented(number, on, meeting, who())
        except KeyError:
            abort(404, f"There is no version {number}.")
        svc.library.refresh_now()
        svc.accounts.record(
            who(), "presented", f"version {number} on {on.isoformat()} {meeting}".strip(), client_address()
        )
        return redirect(url_for("publishing.version", number=number), code=303)

    @bp.get("/workbook.xlsx")
    @require("analyst")
    def workbook():
        text = request.args.get("version", "")
        try:
            number = int(text) if text else svc.library.current()
            files = svc.versions.files(number)
        except (ValueError, NoSuchVersion):
            files = {}
        if not files:
            abort(404, "There is no such version.")
        marked = sensitive_datasets(svc.library.store(number, sensitive=True))
        body = version_workbook(files, marked)
        return Response(
            body,
            mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            headers={"Content-Disposition": f'attachment; filename="spr-data-version-{number}.xlsx"'},
        )

    return bp


def version_workbook(files: dict[str, bytes], marked: frozenset[str] = frozenset()) -> bytes:
    """A version's files as one workbook, a sheet per file (the catalogues first), every cell text, so
    it reads back exactly; the sheets of the datasets ``marked`` OFFICIAL-SENSITIVE carry the mark in
    their header and footer."""
    from openpyxl import Workbook

    from data.schema import OFFICIAL_SENSITIVE

    wb = Workbook()
    wb.remove(wb.active)
    order = sorted(files, key=lambda n: (n not in ("datasets.csv", "publications.csv"), n))
    for name in order:
        ws = wb.create_sheet(name.removesuffix(".csv"))
        if name.removesuffix(".csv") in marked:
            for part in (ws.oddHeader.center, ws.oddFooter.center, ws.evenHeader.center, ws.evenFooter.center):
                part.text = OFFICIAL_SENSITIVE
                part.font = "Arial,Bold"
        text = files[name].decode("utf-8-sig")
        for row in csv.reader(io.StringIO(text)):
            ws.append(row)
            for cell in ws[ws.max_row]:
                cell.number_format = "@"  # text, as in the file: "0012" and "1e3" stay as they are
                cell.data_type = "s"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
