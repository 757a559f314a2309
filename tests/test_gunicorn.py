"""The app starts under gunicorn and answers; on invalid data it refuses to start, with a report."""

from __future__ import annotations

import json
import urllib.request

import pytest

from tests.live_server import free_port, server_log, start_gunicorn


def get(url: str) -> tuple[int, str, str]:
    with urllib.request.urlopen(url, timeout=10) as res:
        return res.status, res.headers.get_content_type(), res.read().decode("utf-8")


def test_home_page(base_url):
    status, ctype, body = get(base_url + "/")
    assert status == 200 and ctype == "text/html"
    assert '<html lang="en-GB">' in body
    assert "<title>SPR Board Dashboard</title>" in body
    assert 'content="Overview – SPR Board Dashboard"' in body


def test_api_through_gunicorn(base_url, store):
    status, ctype, body = get(base_url + "/api/v1/datasets")
    assert status == 200 and ctype == "application/json"
    assert [d["name"] for d in json.loads(body)["datasets"]] == store.names
    status, ctype, body = get(base_url + "/api/v1/datasets/rocu_funding.csv")
    assert ctype == "text/csv" and ",30.4," in body


def test_unknown_page_is_a_404_with_the_not_found_page(base_url):
    import urllib.error

    with pytest.raises(urllib.error.HTTPError) as caught:
        get(base_url + "/no-such-page")
    assert caught.value.code == 404
    assert '<html lang="en-GB">' in caught.value.read().decode()
    for path in ("/", "/organised-crime", "/data/operation_venetic", "/present/venetic-1", "/about"):
        assert get(base_url + path)[0] == 200, path


def test_two_workers_answer_alike(base_url):
    bodies = {get(base_url + "/api/v1/datasets/operation_venetic.json")[2] for _ in range(8)}
    assert len(bodies) == 1


def test_bootstrap_is_served_locally(base_url):
    status, ctype, body = get(base_url + "/assets/vendor/bootstrap.min.css")
    assert status == 200 and ctype == "text/css"
    assert "Bootstrap" in body[:200]
    _, _, page = get(base_url + "/")
    assert "cdn" not in page.lower()
    assert page.count("bootstrap.min.css") == 1, "Bootstrap is linked once, before the site's own styles"
    assert page.index("bootstrap.min.css") < page.index("/assets/app.css")


def test_refuses_to_start_on_invalid_data(data_copy):
    (data_copy / "rocu_funding.csv").write_text("")
    venetic = data_copy / "operation_venetic.csv"
    venetic.write_text(venetic.read_text().replace(",West Midlands region,", ",Gotham,", 1))
    proc = start_gunicorn(free_port(), {"SPR_DATA_DIR": str(data_copy)}, workers=1)
    try:
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    stderr = server_log(proc)
    assert proc.returncode != 0
    assert "The data is not valid, so the dashboard will not start." in stderr
    assert "rocu_funding.csv: error: file is empty" in stderr
    assert "operation_venetic.csv, line 2, column 'force': error: 'Gotham'" in stderr
    assert "Traceback" not in stderr


def test_runs_with_the_project_gunicorn_conf(tmp_path):
    """`make run` uses gunicorn.conf.py: preloaded data, settings from SPR_*; it answers."""
    import subprocess
    import sys

    from tests.live_server import ROOT, stop, wait_until_up

    port = free_port()
    env = {
        **__import__("os").environ,
        "SPR_PORT": str(port),
        "SPR_WORKERS": "2",
        "SPR_STATE_DIR": str(tmp_path / "state"),
    }
    proc = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:server"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_until_up(proc, f"http://127.0.0.1:{port}/api/v1/datasets")
        status, _, body = get(f"http://127.0.0.1:{port}/api/v1/datasets/rocu_funding.json")
        assert status == 200 and '"value":30.4' in body.replace(" ", "")
    finally:
        stop(proc)


def test_preloaded_server_refuses_invalid_data(data_copy, tmp_path):
    import os
    import subprocess
    import sys

    from tests.live_server import ROOT

    (data_copy / "rocu_funding.csv").write_text("")
    env = {
        **os.environ,
        "SPR_PORT": str(free_port()),
        "SPR_WORKERS": "1",
        "SPR_DATA_DIR": str(data_copy),
        "SPR_STATE_DIR": str(tmp_path / "state"),  # a first start: the folder is checked before it is imported
    }
    proc = subprocess.run(
        [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "wsgi:server"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode != 0
    assert "rocu_funding.csv: error: file is empty" in proc.stderr
    assert "Traceback" not in proc.stderr


def _raw(base_url: str, request: bytes) -> str:
    """What the server answers to ``request`` sent as it is on one connection."""
    import socket
    from urllib.parse import urlsplit

    url = urlsplit(base_url)
    with socket.create_connection((url.hostname, url.port), timeout=10) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer.decode("latin-1")


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"GET /\x01 HTTP/1.1\r\nHost: x\r\n\r\n", "400 Bad Request"),
        (b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n", "414 URI Too Long"),
        (b"GET / HTTP/1.1\r\nHost: x\r\n" + b"X-A: b\r\n" * 200 + b"\r\n", "431 Request Header Fields Too Large"),
    ],
)
def test_gunicorns_own_error_pages_carry_the_security_headers(base_url, request_bytes, status):
    """A request gunicorn refuses before the app sees it still gets the headers (no nginx under make run)."""
    head = _raw(base_url, request_bytes).partition("\r\n\r\n")[0].split("\r\n")
    assert head[0] == f"HTTP/1.1 {status}"
    headers = dict(line.split(": ", 1) for line in head[1:])
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Content-Security-Policy"].startswith("default-src 'none'")
    assert headers["Cache-Control"] == "no-store"
    assert headers["Content-Type"] == "text/html", "gunicorn's own head is kept"


def test_a_page_answers_while_another_request_of_the_same_worker_waits(tmp_path):
    """Threads: one worker, one request held open (a slow body); a page still answers at once."""
    import socket
    import time

    from tests.live_server import running_app

    with running_app({"SPR_THREADS": "4", "SPR_STATE_DIR": str(tmp_path)}, workers=1) as url:
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        with socket.create_connection((parts.hostname, parts.port), timeout=10) as held:
            # Headers complete, body promised but never sent: the worker's thread waits on it.
            held.sendall(b"POST /_dash-update-component HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{")
            time.sleep(0.5)
            status, _, _ = get(url + "/about")
            assert status == 200
