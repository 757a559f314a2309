"""Admins' pages: users and roles (``/admin/users``), and the audit log (``/admin/audit``)."""

from __future__ import annotations

from flask import Blueprint, Flask, g, redirect, render_template, request, url_for

from settings import ROLES
from web.accounts import AccountError
from web.auth import client_address, require
from web.backend import Backend

AUDIT_PAGE = 200


def install(server: Flask, svc: Backend) -> None:
    bp = Blueprint("admin", __name__, url_prefix="/admin", template_folder="templates")

    def users_page(message: str = "", status: int = 200, ok: str = ""):
        page = render_template(
            "web/users.html", title="Users", users=svc.accounts.listing(), roles=ROLES, message=message, ok=ok
        )
        return page, status

    @bp.get("/users")
    @require("admin")
    def users():
        return users_page(ok=request.args.get("ok", "")[:200])

    @bp.post("/users")
    @require("admin")
    def change():
        action = request.form.get("action", "")
        name = (request.form.get("username") or "").strip()
        by, address = g.user.username, client_address()
        try:
            if action == "add":
                svc.accounts.add(name, request.form.get("password", ""), request.form.get("role", ""), by, address)
                done = f"Added {name}."
            elif action == "role":
                role = request.form.get("role", "")
                if name == by and role != "admin" and svc.accounts.admins() <= 1:
                    raise AccountError("You are the only admin: make another admin before changing your own role.")
                svc.accounts.set_role(name, role, by, address)
                done = f"{name} is now {role}; their sessions have ended."
            elif action in ("disable", "enable"):
                if name == by:
                    raise AccountError("You cannot disable your own account.")
                svc.accounts.set_disabled(name, action == "disable", by, address)
                done = f"{name} is {'disabled' if action == 'disable' else 'enabled'}."
            elif action == "password":
                svc.accounts.set_password(name, request.form.get("password", ""), by, address)
                done = f"{name}'s password is changed; their sessions have ended."
            else:
                raise AccountError("Choose what to change.")
        except AccountError as err:
            return users_page(str(err), 400)
        return redirect(url_for("admin.users", ok=done), code=303)

    @bp.get("/audit")
    @require("admin")
    def audit():
        before = request.args.get("before", "")
        entries = svc.accounts.log_entries(AUDIT_PAGE, int(before) if before.isdigit() else None)
        older = entries[-1].id if len(entries) == AUDIT_PAGE else None
        return render_template("web/audit.html", title="Audit log", entries=entries, older=older)

    server.register_blueprint(bp)
