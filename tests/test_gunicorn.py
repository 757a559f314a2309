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
