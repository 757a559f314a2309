"""Sign-in, roles, sessions, CSRF, rate limits, lockout, the audit log and the signing-in proxy."""

from __future__ import annotations

import dataclasses
import time

import pytest

from tests.accounts import PASSWORD, backend, csrf_token, make_user, new_client, sign_in, signed_in
from web import auth


@pytest.fixture()
def settings(dash_app, monkeypatch):
    """Change the app's settings for one test: ``settings(public=False)``."""
    svc = backend(dash_app)

    def change(**values):
        monkeypatch.setattr(svc, "settings", dataclasses.replace(svc.settings, **values))

    return change


def test_anyone_may_view_while_the_deployment_is_public(dash_app):
    anon = new_client(dash_app)
    assert anon.get("/").status_code == 200
    assert anon.get("/api/v1/datasets").status_code == 200
    assert "Sign in" in anon.get("/_dash-layout").get_data(as_text=True)


def test_a_closed_deployment_asks_everyone_to_sign_in_first(dash_app, settings):
    settings(public=False)
    anon = new_client(dash_app)
    page = anon.get("/organised-crime?strand=Pursue")
    assert page.status_code == 302 and page.headers["Location"].startswith("/sign-in?next=")
    assert "organised-crime" in page.headers["Location"]
    assert anon.get("/api/v1/datasets").status_code == 401
    assert anon.get("/export/pack.pdf").status_code == 401
    assert anon.get("/sign-in").status_code == 200
    client, _ = signed_in(dash_app, "viewer")
    assert client.get("/api/v1/datasets").status_code == 200


def test_signing_in_sets_a_signed_http_only_same_site_cookie_secure_over_https(dash_app):
    name = make_user(dash_app, "viewer")
    plain = new_client(dash_app)
    res = sign_in(plain, name)
    assert res.status_code == 303
    cookie = res.headers["Set-Cookie"]
    assert cookie.startswith(f"{auth.SESSION_COOKIE}=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert "Secure" not in cookie
    secure = new_client(dash_app)
    https = "https://localhost"
    token = csrf_token_over(secure, https)
    form = {"username": name, "password": PASSWORD, "csrf_token": token}
    # Over HTTPS the form must also come from this site's own page (Flask-WTF checks the referrer).
    assert secure.post("/sign-in", base_url=https, data=form).status_code == 400
    res = secure.post("/sign-in", base_url=https, data=form, headers={"Referer": f"{https}/sign-in"})
    assert res.status_code == 303 and "Secure" in res.headers["Set-Cookie"]
    # A tampered cookie is no session at all.
    value = cookie.split(";")[0].split("=", 1)[1]
    forged = new_client(dash_app)
    forged.set_cookie(auth.SESSION_COOKIE, value[:-3] + ("abc" if not value.endswith("abc") else "xyz"))
    assert "Sign out" not in forged.get("/_dash-layout").get_data(as_text=True)


def csrf_token_over(client, base_url: str) -> str:
    import re

    page = client.get("/sign-in", base_url=base_url).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def test_a_wrong_password_is_refused_in_words_that_do_not_say_whether_the_user_exists(dash_app):
    name = make_user(dash_app, "viewer")
    client = new_client(dash_app)
    wrong = sign_in(client, name, "not the password")
    unknown = sign_in(client, "nobody-at-all", "not the password")
    assert wrong.status_code == unknown.status_code == 401
    assert "The user name or password is not right." in wrong.get_data(as_text=True)
    assert "The user name or password is not right." in unknown.get_data(as_text=True)


def test_signed_in_answers_are_private_and_name_the_user(dash_app):
    client, name = signed_in(dash_app, "analyst")
    res = client.get("/_dash-layout")
    assert f"Sign out {name}" in res.get_data(as_text=True) and "Publish" in res.get_data(as_text=True)
    assert res.headers["Cache-Control"] == "private, no-store"
    assert "Cookie" in res.headers["Vary"]


def test_sign_out_needs_its_token_and_ends_the_session(dash_app):
    client, name = signed_in(dash_app, "viewer")
    assert client.post("/sign-out").status_code == 400  # no token: refused, still signed in
    assert f"Sign out {name}" in client.get("/_dash-layout").get_data(as_text=True)
    token = csrf_token(client, "/sign-in")
    assert client.post("/sign-out", data={"csrf_token": token}).status_code == 303
    assert "Sign out" not in client.get("/_dash-layout").get_data(as_text=True)


def test_a_missing_forged_or_other_sessions_csrf_token_changes_nothing(dash_app):
    admin, _ = signed_in(dash_app, "admin")
    other, _ = signed_in(dash_app, "admin")
    svc = backend(dash_app)
    before = len(svc.accounts.listing())
    form = {"action": "add", "username": "intruder-x", "password": PASSWORD, "role": "admin"}
    for token in (None, "forged-token", csrf_token(other, "/admin/users")):
        data = dict(form) if token is None else {**form, "csrf_token": token}
        res = admin.post("/admin/users", data=data)
        assert res.status_code == 400 and "This form has expired" in res.get_data(as_text=True)
    assert len(svc.accounts.listing()) == before and svc.accounts.get("intruder-x") is None
    ok = admin.post("/admin/users", data={**form, "csrf_token": csrf_token(admin, "/admin/users")})
    assert ok.status_code == 303 and svc.accounts.get("intruder-x").role == "admin"


def test_analyst_actions_need_an_analyst(dash_app):
    viewer, _ = signed_in(dash_app, "viewer")
    token = csrf_token(viewer, "/sign-in")
    assert viewer.get("/publish").status_code == 403
    assert viewer.post("/publish/upload", data={"csrf_token": token}).status_code == 403
    assert (
        viewer.post(
            "/publish/versions/1/presented", data={"csrf_token": token, "presented_on": "2021-02-01"}
        ).status_code
        == 403
    )
    assert viewer.get("/admin/users").status_code == 403
    anon = new_client(dash_app)
    token = csrf_token(anon, "/sign-in")
    assert anon.post("/publish/upload", data={"csrf_token": token}).status_code == 401
    assert anon.get("/publish").status_code == 302
    analyst, _ = signed_in(dash_app, "analyst")
    assert analyst.get("/publish").status_code == 200
    assert analyst.get("/admin/audit").status_code == 403


def test_sign_in_attempts_are_rate_limited_per_address(dash_app):
    client = new_client(dash_app)
    token = csrf_token(client)
    codes = [
        client.post("/sign-in", data={"username": f"someone-{k}", "password": "x", "csrf_token": token}).status_code
        for k in range(12)
    ]
    assert codes[:10] == [401] * 10 and codes[10:] == [429, 429]
    assert new_client(dash_app).get("/sign-in").status_code == 200  # another address is not held up


def test_sign_in_attempts_are_rate_limited_per_account_from_any_address(dash_app):
    name = make_user(dash_app, "viewer")
    codes = []
    for _ in range(7):
        client = new_client(dash_app)
        codes.append(sign_in(client, name, "wrong").status_code)
    assert 429 in codes and codes.index(429) == 5


def test_an_account_locks_after_five_wrong_passwords_even_against_the_right_one(dash_app, monkeypatch):
    monkeypatch.setattr(auth, "ACCOUNT_LIMIT", "100 per minute")  # the lock, not the rate limit, is tested here
    name = make_user(dash_app, "analyst")
    for _ in range(5):
        sign_in(new_client(dash_app), name, "wrong")
    res = sign_in(new_client(dash_app), name)
    assert res.status_code in (401, 429)
    assert backend(dash_app).accounts.get(name).locked_until is not None
    assert any(
        e.action == "sign-in-failed" and "locked" in e.detail for e in backend(dash_app).accounts.log_entries(20)
    )


def test_a_session_ends_after_the_idle_time(dash_app, monkeypatch):
    client, _ = signed_in(dash_app, "analyst")
    assert client.get("/publish").status_code == 200
    later = time.time() + 31 * 60
    monkeypatch.setattr(auth.time, "time", lambda: later)
    res = client.get("/publish")
    assert res.status_code == 302 and "expired=1" in res.headers["Location"]
    page = client.get(res.headers["Location"]).get_data(as_text=True)
    assert "Your session ended after a time without use" in page


def test_a_role_change_ends_the_users_sessions(dash_app):
    client, name = signed_in(dash_app, "analyst")
    assert client.get("/publish").status_code == 200
    backend(dash_app).accounts.set_role(name, "viewer", "test")
    assert client.get("/publish").status_code == 302  # signed out: asked to sign in again
    client2 = new_client(dash_app)
    assert sign_in(client2, name).status_code == 303
    assert client2.get("/publish").status_code == 403  # back in, as a viewer


def test_admins_manage_users_and_read_the_audit_log(dash_app):
    admin, admin_name = signed_in(dash_app, "admin")
    token = csrf_token(admin, "/admin/users")
    new = f"new-{time.time_ns()}"
    res = admin.post(
        "/admin/users",
        data={"action": "add", "username": new, "password": PASSWORD, "role": "viewer", "csrf_token": token},
    )
    assert res.status_code == 303
    admin.post("/admin/users", data={"action": "role", "username": new, "role": "analyst", "csrf_token": token})
    assert backend(dash_app).accounts.get(new).role == "analyst"
    short = admin.post(
        "/admin/users",
        data={"action": "add", "username": "x-short", "password": "short", "role": "viewer", "csrf_token": token},
    )
    assert short.status_code == 400 and "at least 12 characters" in short.get_data(as_text=True)
    log = admin.get("/admin/audit").get_data(as_text=True)
    for words in ("user-added", "role-changed", f"{new} is now analyst", admin_name, "sign-in"):
        assert words in log


def test_sign_in_sends_back_only_to_this_site(dash_app):
    name = make_user(dash_app, "viewer")
    for target, expected in (
        ("/organised-crime?strand=Pursue", "/organised-crime?strand=Pursue"),
        ("//evil.example/x", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
    ):
        res = sign_in(new_client(dash_app), name, next_=target)
        assert res.headers["Location"] == expected, target


def test_the_signing_in_proxy_is_trusted_only_from_its_own_address(dash_app, settings):
    settings(
        proxy_auth_from=frozenset({"10.99.0.1"}), proxy_roles=(("spr-analysts", "analyst"), ("spr-admins", "admin"))
    )
    headers = {"X-Forwarded-User": "pat.smith", "X-Forwarded-Groups": "staff,spr-analysts"}
    proxy = new_client(dash_app, address="10.99.0.1")
    assert proxy.get("/publish", headers=headers).status_code == 200
    assert backend(dash_app).accounts.get("pat.smith").role == "analyst"
    elsewhere = new_client(dash_app, address="10.99.0.2")
    assert elsewhere.get("/publish", headers=headers).status_code == 302  # the header is ignored: not signed in
    viewer = proxy.get("/publish", headers={"X-Forwarded-User": "sam.jones", "X-Forwarded-Groups": "staff"})
    assert viewer.status_code == 403  # a group that maps to no role: a viewer
    admin = proxy.get("/admin/users", headers={"X-Forwarded-User": "lee", "X-Forwarded-Groups": "spr-admins"})
    assert admin.status_code == 200


def test_signing_out_ends_a_copied_session_cookie_too(dash_app):
    client, name = signed_in(dash_app, "viewer")
    copy = new_client(dash_app)
    copy.set_cookie(auth.SESSION_COOKIE, client.get_cookie(auth.SESSION_COOKIE).value)
    assert f"Sign out {name}" in copy.get("/_dash-layout").get_data(as_text=True)
    client.post("/sign-out", data={"csrf_token": csrf_token(client, "/sign-in")})
    assert f"Sign out {name}" not in copy.get("/_dash-layout").get_data(as_text=True)


def test_the_proxy_never_takes_over_a_local_account_nor_signs_in_a_disabled_user(dash_app, settings):
    settings(proxy_auth_from=frozenset({"10.99.0.1"}), proxy_roles=(("spr-analysts", "analyst"),))
    accounts = backend(dash_app).accounts
    local_admin = make_user(dash_app, "admin")
    proxy = new_client(dash_app, address="10.99.0.1")
    taken = proxy.get("/admin/users", headers={"X-Forwarded-User": local_admin, "X-Forwarded-Groups": "staff"})
    assert taken.status_code == 302  # not signed in as the local admin ...
    assert accounts.get(local_admin).role == "admin"  # ... and the admin's role is as it was
    headers = {"X-Forwarded-User": "kim.lee", "X-Forwarded-Groups": "spr-analysts"}
    assert proxy.get("/publish", headers=headers).status_code == 200
    accounts.set_disabled("kim.lee", True, "test")
    assert proxy.get("/publish", headers=headers).status_code == 302  # disabled: not signed in


def test_behind_the_proxy_each_reader_is_counted_by_their_own_address(dash_app, settings):
    settings(proxy_auth_from=frozenset({"10.99.0.1"}))
    proxy = new_client(dash_app, address="10.99.0.1")
    with dash_app.server.test_request_context(
        "/sign-in", environ_base={"REMOTE_ADDR": "10.99.0.1"}, headers={"X-Forwarded-For": "1.2.3.4, 192.0.2.7"}
    ):
        assert auth.client_address() == "192.0.2.7"  # the last address the trusted proxy added
    with dash_app.server.test_request_context(
        "/sign-in", environ_base={"REMOTE_ADDR": "10.99.0.2"}, headers={"X-Forwarded-For": "192.0.2.7"}
    ):
        assert auth.client_address() == "10.99.0.2"  # anyone else's header is not believed
    for n in range(10):  # one reader's failures behind the proxy ...
        proxy.post(
            "/sign-in",
            data={"username": f"nobody-{n}", "password": "x", "csrf_token": csrf_token(proxy)},
            headers={"X-Forwarded-For": "192.0.2.50"},
        )
    other = proxy.post(
        "/sign-in",
        data={"username": "somebody-else", "password": "x", "csrf_token": csrf_token(proxy)},
        headers={"X-Forwarded-For": "192.0.2.51"},
    )
    assert other.status_code == 401  # ... do not stop another reader (401: a wrong password, not 429)
