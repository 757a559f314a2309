"""A loaded version is read once per server and kept on disk for the other workers (data/snapshots.py)."""

from __future__ import annotations

import threading
import time

import pandas as pd

from data import snapshots
from data.loader import DataStore
from data.snapshots import Snapshots


def _store(value: float = 1.0) -> DataStore:
    frame = pd.DataFrame({"dataset": ["a"], "measure": ["Arrests"], "value": [value]})  # synthetic
    return DataStore(origin="a test", frame=frame, catalogue={}, version=3)


def test_workers_asking_at_once_read_a_version_once(tmp_path):
    kept = Snapshots(tmp_path / "kept")
    reads: list[int] = []
    got: list[DataStore] = []

    def read() -> DataStore:
        reads.append(1)
        time.sleep(0.3)  # the others ask meanwhile
        return _store()

    workers = [threading.Thread(target=lambda: got.append(kept.load(3, read))) for _ in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    assert len(reads) == 1
    assert len(got) == 4 and all(g.frame.equals(_store().frame) and g.version == 3 for g in got)
    assert len({id(g.memo) for g in got}) == 4  # each with a cache of its own


def test_another_release_or_a_damaged_file_is_read_again(tmp_path, monkeypatch):
    kept = Snapshots(tmp_path)
    kept.load(3, lambda: _store(1.0))
    assert kept.load(3, lambda: _store(2.0)).frame["value"].tolist() == [1.0]  # kept
    monkeypatch.setattr(snapshots, "release", lambda: "another-release")
    assert kept.load(3, lambda: _store(2.0)).frame["value"].tolist() == [2.0]  # read again
    assert [p.name for p in tmp_path.glob("v3-*.pickle")] == ["v3-another-release.pickle"]  # the old one gone
    (tmp_path / "v3-another-release.pickle").write_bytes(b"not a pickle")
    assert kept.load(3, lambda: _store(4.0)).frame["value"].tolist() == [4.0]


def test_a_folder_that_cannot_be_written_still_serves(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("a file where the folder would be")
    assert Snapshots(blocked / "kept").load(3, lambda: _store(5.0)).frame["value"].tolist() == [5.0]
