"""Signing in from tests: users made in the app's database, and clients each from an address of their own
(so one test's sign-in attempts never count against another's rate limit)."""

from __future__ import annotations

import itertools
import re
import uuid

PASSWORD = "a long enough password"
_addresses = itertools.count(1)


def backend(dash_app):
    return dash_app.server.extensions["spr"]


def new_client(dash_app, address: str | None = None):
    """A test client whose requests come from ``address`` (default: a new one)."""
    n = next(_addresses)
    client = dash_app.server.test_client()
    client.environ_base["REMOTE_ADDR"] = address or f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"
    return client


def make_user(dash_app, role: str, password: str = PASSWORD) -> str:
    name = f"{role}-{uuid.uuid4().hex[:8]}"
    backend(dash_app).accounts.add(name, password, role, "test")
    return name


def csrf_token(client, path: str = "/sign-in") -> str:
    page = client.get(path).get_data(as_text=True)
    found = re.search(r'name="csrf_token" (?:type="hidden" )?value="([^"]+)"', page)
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def sign_in(client, username: str, password: str = PASSWORD, next_: str = "/"):
    token = csrf_token(client)
    return client.post(
        "/sign-in", data={"username": username, "password": password, "csrf_token": token, "next": next_}
    )


def signed_in(dash_app, role: str):
    """A client signed in as a new user with ``role``; returns (client, username)."""
    name = make_user(dash_app, role)
    client = new_client(dash_app)
    res = sign_in(client, name)
    assert res.status_code == 303, res.get_data(as_text=True)[:500]
    return client, name
