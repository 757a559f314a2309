"""Security headers on every response; malformed requests get a 4xx without a trace."""

from __future__ import annotations

import pytest

HEADERS = ("Content-Security-Policy", "X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy")


@pytest.mark.parametrize(
    "path",
    ["/", "/organised-crime", "/api/v1/datasets", "/api/v1/datasets/rocu_funding.csv", "/assets/app.css", "/nope"],
)
def test_security_headers_everywhere(client, path):
    res = client.get(path)
    for header in HEADERS:
        assert header in res.headers, (path, header)
    assert res.headers["X-Content-Type-Options"] == "nosniff"
    assert res.headers["X-Frame-Options"] == "DENY"
    csp = res.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "'unsafe-eval'" not in csp and "script-src 'self' 'sha256-" in csp


def test_debug_and_dev_tools_are_off(dash_app):
    assert dash_app.server.debug is False
    assert dash_app._dev_tools.ui is False


CALLBACK = "/_dash-update-component"


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        ("this is not json", "application/json"),
        ('{"output": 5}', "application/json"),
        (
            '{"output": "nope.children", "outputs": {"id": "nope", "property": "children"}, "inputs": []}',
            "application/json",
        ),
        ('{"output": "filter-url.search", "inputs": "wrong type"}', "application/json"),
        ("[]", "application/json"),
    ],
)
def test_malformed_callback_requests_get_a_4xx_without_a_trace(client, body, content_type):
    res = client.post(CALLBACK, data=body, content_type=content_type)
    assert 400 <= res.status_code < 500
    text = res.get_data(as_text=True)
    assert "Traceback" not in text and 'File "' not in text


def test_oversized_request_is_refused(client):
    res = client.post(CALLBACK, data="x" * 400_000, content_type="application/json")
    assert res.status_code == 413
    assert "Traceback" not in res.get_data(as_text=True)


def test_large_scripts_are_compressed(client):
    res = client.get(
        "/_dash-component-suites/plotly/package_data/plotly.min.js", headers={"Accept-Encoding": "br, gzip"}
    )
    assert res.status_code == 200
    assert res.headers.get("Content-Encoding") in ("br", "gzip")


def test_a_genuine_fault_is_a_500_with_its_traceback_in_the_log_not_a_400(client, monkeypatch, caplog):
    import logging

    import components.chart_card as card
    from tests.test_serving import _open_table

    def broken(*_args):
        raise RuntimeError("a bug in drawing the table")

    monkeypatch.setattr(card, "find_chart", broken)
    with caplog.at_level(logging.ERROR):
        res = _open_table(client, "rocu-justice", 1, "/organised-crime")
    assert res.status_code == 500
    assert "Traceback" not in res.get_data(as_text=True) and "a bug" not in res.get_data(as_text=True)
    assert "RuntimeError: a bug in drawing the table" in caplog.text and "Traceback" in caplog.text


@pytest.mark.parametrize(
    ("method", "path"), [("post", "/about"), ("delete", "/organised-crime"), ("put", "/assets/app.css")]
)
def test_an_unknown_method_gets_the_plain_error_page(client, method, path):
    res = getattr(client, method)(path)
    assert res.status_code == 405 and res.mimetype == "text/html"
    text = res.get_data(as_text=True)
    assert "<h1>Method Not Allowed</h1>" in text and "Go to the overview" in text and "Traceback" not in text
    assert "X-Frame-Options" in res.headers  # the security headers come with the error page too
