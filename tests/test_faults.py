"""Faults a board meeting must survive: a worker dying under load, and a bad data file reloaded.

Both run the real gunicorn master on loopback (bench/faults.py does the work; its report gives
the same figures).
"""

from __future__ import annotations

from bench.faults import WORKERS, kill_worker_under_load, reload_bad_then_good_data
from tests.conftest import DATA_DIR


def test_killing_a_worker_under_load_loses_at_most_its_request_and_is_replaced():
    result = kill_worker_under_load(clients=100, seconds=4.0, kill_after=1.5)
    assert 0 < result["requests_before_kill"] < result["requests"], result  # load ran before and after the kill
    assert result["failed"] <= 1, result  # a sync worker holds at most one request when it dies
    assert result["replaced"], result
    assert result["victim"] not in result["workers_after"] and len(result["workers_after"]) == WORKERS
    assert result["answered_after"]


def test_invalid_data_on_reload_keeps_the_last_good_data_and_logs_where():
    result = reload_bad_then_good_data(source=DATA_DIR)
    assert result["rejected_logged"], result
    assert result["error_names_file_line_column"], result
    assert result["new_workers_started"], result
    assert result["last_good_data_served"], result
    assert result["server_running"], result
    assert result["valid_change_served"], result
