"""Sign-in: who is asking (``g.user``), before anything answers.

- Sessions are Flask's signed cookies: ``HttpOnly``, ``SameSite=Lax``, ``Secure`` whenever the request
  came over HTTPS. A session ends after ``SPR_SESSION_IDLE_MINUTES`` without a request, after 12 hours
  in all, and at once when the user's role or password changes (the user's ``epoch`` moves on).
- Every form and state-changing request carries a CSRF token (Flask-WTF); Dash's callbacks, which
  change nothing, are the one exception.
- Sign-in attempts are rate-limited per address and per account (Flask-Limiter), and an account is
  locked after repeated wrong passwords (``web.accounts``); failures from one address are also counted
  in the shared database, so every worker and server refuses alike.
- Optionally a reverse proxy in front (oauth2-proxy style) signs users in: its user and groups headers
  are trusted only from the addresses in ``SPR_PROXY_AUTH_FROM``, groups mapped to roles by
  ``SPR_PROXY_ROLES``.
- With ``SPR_PUBLIC=false`` every page asks for sign-in first.
"""

from __future__ import annotations

import functools
import logging
import secrets as _secrets
import time
from collections.abc import Callable
from datetime import timedelta
from urllib.parse import urlsplit

from flask import Blueprint, Flask, Request, abort, g, jsonify, redirect, render_template, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_limiter import Limiter
from flask_wtf.csrf import CSRFError, CSRFProtect, generate_csrf

from settings import Settings
from web.accounts import RANK, User
from web.backend import Backend, backend
from web.security import LARGE_BODIES

log = logging.getLogger(__name__)

SIGN_IN = "/sign-in"
SIGN_OUT = "/sign-out"
SESSION_COOKIE = "spr_session"
MAX_SESSION_HOURS = 12
#: How often a session's "last seen" time is written back (so not every answer sets a cookie).
SEEN_EVERY_S = 60
#: Failed sign-ins from one address, within ``FAILURE_WINDOW_MIN``, after which it is refused.
ADDRESS_FAILURES = 20
FAILURE_WINDOW_MIN = 15
SIGN_IN_LIMITS = ("10 per minute", "50 per hour")
ACCOUNT_LIMIT = "5 per minute"
#: Requests that need no sign-in even when the deployment is not public (sign-in itself, and files).
OPEN_PREFIXES = (SIGN_IN, "/assets/", "/_dash-component-suites/", "/_favicon.ico", "/static/")
#: The one POST that needs no CSRF token: Dash's callbacks, which only draw.
CSRF_EXEMPT = ("/_dash-update-component",)

csrf = CSRFProtect()


class _Sessions(SecureCookieSessionInterface):
    """Flask's signed-cookie sessions, ``Secure`` whenever the request came over HTTPS."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return request.is_secure


def peer_address(req: Request | None = None) -> str:
    """The address the connection came from."""
    return (req or request).remote_addr or ""


def client_address(req: Request | None = None) -> str:
    """The reader's address: the connection's, or, when it comes from the signing-in proxy
    (``SPR_PROXY_AUTH_FROM``), the address that proxy added last to ``X-Forwarded-For`` (so that
    sign-in limits count each reader, not the proxy)."""
    req = req or request
    peer = peer_address(req)
    if peer and peer in backend().settings.proxy_auth_from:
        forwarded = [a.strip() for a in req.headers.get("X-Forwarded-For", "").split(",") if a.strip()]
        if forwarded:
            return forwarded[-1][:64]
    return peer


def install(server: Flask, svc: Backend) -> Limiter:
    """Sessions, CSRF, rate limits, ``g.user`` on every request, and the sign-in pages."""
    settings = svc.settings
    server.secret_key = settings.secret_key or svc.secret("session-key", lambda: _secrets.token_urlsafe(48))
    server.session_interface = _Sessions()
    server.config.update(
        SESSION_COOKIE_NAME=SESSION_COOKIE,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=MAX_SESSION_HOURS),
        WTF_CSRF_CHECK_DEFAULT=False,  # checked below, for every request but Dash's callbacks
        WTF_CSRF_TIME_LIMIT=None,  # a token lives as long as its session
    )
    csrf.init_app(server)

    @server.before_request
    def who_is_asking():
        settings = svc.settings  # read each time: a test (or an operator's reload) may change it
        user = _proxy_user(settings, svc) or _session_user(settings, svc)
        g.user = user if user is not None and not user.disabled else None
        if request.path in LARGE_BODIES and g.user is not None and g.user.can("analyst"):
            request.max_content_length = LARGE_BODIES[request.path]
        changes_state = request.method not in ("GET", "HEAD", "OPTIONS") and request.path not in CSRF_EXEMPT
        if changes_state and request.routing_exception is None:  # no such address or method: 404 or 405 follows
            csrf.protect()
        if not settings.public and g.user is None and not request.path.startswith(OPEN_PREFIXES):
            if request.method == "GET" and not request.path.startswith(("/api/", "/_dash", "/export/")):
                expired = 1 if g.get("session_expired") else None
                return redirect(url_for("auth.sign_in", next=_local(request.full_path), expired=expired))
            return jsonify({"error": "Sign in to see this dashboard.", "status": 401}), 401
        return None

    @server.after_request
    def private_when_signed_in(response):
        # An answer for a signed-in user may hold what others may not see: no shared cache may keep it.
        if getattr(g, "user", None) is not None and not request.path.startswith(("/assets/", "/_dash-component")):
            response.headers["Cache-Control"] = "private, no-store"
        response.vary.add("Cookie")
        return response

    @server.errorhandler(CSRFError)
    def bad_token(err: CSRFError):
        from web.errors import error_page

        log.warning("Refused %s %s: %s", request.method, request.path, err.description)
        return error_page(
            400,
            "This form has expired",
            "The form was sent without its security token, or with an old one, so nothing was changed. "
            "Go back, reload the page and try again.",
        )

    @server.context_processor
    def template_names():
        return {"user": getattr(g, "user", None), "csrf_token": generate_csrf}

    limiter = Limiter(
        client_address,
        app=server,
        storage_uri=settings.rate_limit_storage,
        default_limits=[],
        headers_enabled=True,
        strategy="fixed-window",
    )
    server.register_blueprint(_blueprint(svc, limiter))
    return limiter


def _local(target: str | None) -> str:
    """``target`` if it is an address on this site, else the overview (no open redirect)."""
    target = (target or "/").rstrip("?")
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _proxy_user(settings: Settings, svc: Backend) -> User | None:
    if not settings.proxy_auth_from:
        return None
    name = request.headers.get(settings.proxy_user_header, "").strip()
    if not name:
        return None
    if peer_address() not in settings.proxy_auth_from:
        log.warning("Ignored %s from %s, which is not the signing-in proxy", settings.proxy_user_header, peer_address())
        return None
    groups = {gr.strip() for gr in request.headers.get(settings.proxy_groups_header, "").split(",") if gr.strip()}
    role = max((r for gr, r in settings.proxy_roles if gr in groups), key=RANK.get, default="viewer")
    try:
        return svc.accounts.proxy_user(name, role)
    except ValueError as err:
        log.warning("Ignored the proxy's user name %r: %s", name[:100], err)
        return None


def _session_user(settings: Settings, svc: Backend) -> User | None:
    name = session.get("user")
    if not name:
        return None
    now = time.time()
    seen, since = session.get("seen", 0), session.get("since", 0)
    idle = not isinstance(seen, int | float) or now - seen > settings.session_idle_minutes * 60
    too_old = not isinstance(since, int | float) or now - since > MAX_SESSION_HOURS * 3600
    if idle or too_old:
        session.clear()
        g.session_expired = True
        return None
    user = svc.accounts.get(name)
    if user is None or user.disabled or user.epoch != session.get("epoch"):
        session.clear()
        g.session_expired = True
        return None
    if now - seen > SEEN_EVERY_S:
        session["seen"] = int(now)
    return user


def start_session(user: User) -> None:
    """A new session on sign-in, with its CSRF token made now: every page then finds it already in the
    cookie, so pages loading side by side never each make one and overwrite the other's."""
    session.clear()
    session.permanent = True
    now = int(time.time())
    session.update(user=user.username, epoch=user.epoch, seen=now, since=now)
    generate_csrf()


def may_see_sensitive(user: User | None) -> bool:
    """True when ``user`` is signed in with a role allowed OFFICIAL-SENSITIVE figures."""
    return user is not None and not user.disabled and user.role in backend().settings.sensitive_roles


def require(role: str) -> Callable:
    """A view only users with ``role`` (or above) may use: others are sent to sign in (or refused)."""

    def wrap(view: Callable) -> Callable:
        @functools.wraps(view)
        def guarded(*args, **kwargs):
            user: User | None = g.get("user")
            if user is None:
                if request.method == "GET":
                    expired = 1 if g.get("session_expired") else None
                    return redirect(url_for("auth.sign_in", next=_local(request.full_path), expired=expired))
                abort(401, "Sign in first (your session may have ended after a time without use).")
            if not user.can(role):
                abort(403, f"Your role ({user.role}) cannot do this. An admin can change your role.")
            return view(*args, **kwargs)

        return guarded

    return wrap


def _blueprint(svc: Backend, limiter: Limiter) -> Blueprint:
    bp = Blueprint("auth", __name__, template_folder="templates")

    def account_key() -> str:
        return "account:" + (request.form.get("username", "") or "").strip().lower()[:100]

    @bp.route(SIGN_IN, methods=["GET", "POST"])
    @limiter.limit(SIGN_IN_LIMITS[0], methods=["POST"])
    @limiter.limit(SIGN_IN_LIMITS[1], methods=["POST"])
    @limiter.limit(ACCOUNT_LIMIT, methods=["POST"], key_func=account_key)
    def sign_in():
        target = _local(request.values.get("next"))
        expired = g.pop("session_expired", False) or request.args.get("expired") == "1"
        if request.method == "GET":
            message = "Your session ended after a time without use. Please sign in again." if expired else ""
            return render_template("web/sign_in.html", title="Sign in", next=target, message=message, username="")
        username = (request.form.get("username") or "").strip()
        password = request.form.get("password") or ""
        address = client_address()
        if svc.accounts.recent_failures(address, FAILURE_WINDOW_MIN) >= ADDRESS_FAILURES:
            svc.accounts.record(username[:100] or "(blank)", "sign-in-refused", "too many failures", address)
            abort(429, "Too many failed sign-ins from your address. Try again in 15 minutes.")
        user, why = svc.accounts.sign_in(username, password, address)
        if user is None:
            page = render_template("web/sign_in.html", title="Sign in", next=target, message=why, username=username)
            return page, 401
        start_session(user)
        return redirect(target, code=303)

    @bp.route(SIGN_OUT, methods=["POST"])
    def sign_out():
        user = g.get("user")
        if user is not None:
            if not user.from_proxy:
                svc.accounts.end_sessions(user.username)  # a copy of the cookie stops working too
            svc.accounts.record(user.username, "sign-out", "", client_address())
        session.clear()
        return redirect("/", code=303)

    return bp
