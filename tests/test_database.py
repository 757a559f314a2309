"""The database: migrations, versions, drafts, presentations, accounts and the audit log.

Runs on SQLite (a file per test) and, when ``SPR_TEST_DATABASE_URL`` names one, on PostgreSQL: ``make
test`` runs this module a second time inside a throwaway PostgreSQL cluster (``pg_virtualenv``), so both
stay true.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from datetime import date

import pytest
from sqlalchemy import func, select, text

from data.database import engine_for, forget_engines, metadata, migrate, schema_revision, version_files, versions
from data.files import FolderFiles
from data.published import Library
from data.versions import PublishConflict, Versions, changed_files
from tests.conftest import DATA_DIR, ROOT
from web.accounts import LOCK_MINUTES, MAX_FAILURES, AccountError, Accounts

pytestmark = pytest.mark.database

PG = os.environ.get("SPR_TEST_DATABASE_URL", "")


@pytest.fixture()
def url(tmp_path) -> str:
    """An empty database: a new SQLite file, or PostgreSQL emptied."""
    if not PG:
        return f"sqlite:///{tmp_path / 'test.sqlite3'}"
    engine = engine_for(PG)
    with engine.begin() as c:
        c.execute(text("DROP SCHEMA public CASCADE"))
        c.execute(text("CREATE SCHEMA public"))
    forget_engines()
    return PG


@pytest.fixture()
def engine(url):
    e = engine_for(url)
    migrate(e)
    yield e
    forget_engines()


@pytest.fixture()
def repo(engine) -> Versions:
    return Versions(engine)


FILES = {"datasets.csv": b"name,title\n", "a.csv": b"x\n1\n", "b.csv": b"y\n2\n"}


def test_the_migrated_schema_is_the_declared_one_and_migrating_again_changes_nothing(engine):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with engine.connect() as c:
        assert compare_metadata(MigrationContext.configure(c), metadata) == []
    before = schema_revision(engine)
    migrate(engine)
    assert schema_revision(engine) == before == "0001"


def test_the_first_start_imports_the_folder_once_as_version_1(repo):
    first = repo.import_folder(DATA_DIR)
    assert first is not None and first.number == 1
    assert repo.import_folder(DATA_DIR) is None  # never again
    files = repo.files(1)
    assert files == {p.name: p.read_bytes() for p in DATA_DIR.glob("*.csv")}
    assert "rocu_outcomes" in first.changed and "datasets" in first.changed


def test_export_writes_a_version_back_out_byte_for_byte(url, tmp_path):
    """``python -m data export`` of the imported folder: the same files, the same bytes."""
    env = {**os.environ, "SPR_DATABASE_URL": url}
    repo = Versions(engine_for(url))
    migrate(repo.engine)
    repo.import_folder(DATA_DIR)
    out = tmp_path / "out"
    done = subprocess.run(
        [sys.executable, "-m", "data", "export", str(out), "--version", "1"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in DATA_DIR.glob("*.csv"))
    for p in DATA_DIR.glob("*.csv"):
        assert (out / p.name).read_bytes() == p.read_bytes(), p.name
    # ... and it validates, and publishing it again changes nothing.
    assert subprocess.run([sys.executable, "-m", "data", "validate", str(out)], cwd=ROOT, env=env).returncode == 0
    again = repo.publish(FolderFiles(out).read_all(), "test", "round trip", 1)
    assert again.changed == () and repo.files(2) == repo.files(1)


def test_every_publish_is_a_new_immutable_version_with_who_when_why_and_what(repo):
    one = repo.publish(FILES, "ana", "first", None)
    changed = {**FILES, "a.csv": b"x\n5\n"}
    two = repo.publish(changed, "bob", "a changes", 1)
    assert (one.number, two.number) == (1, 2)
    assert (two.published_by, two.note, two.changed) == ("bob", "a changes", ("a",))
    assert two.published_at >= one.published_at and two.published_at.tzinfo is not None
    assert repo.files(1) == FILES and repo.files(2) == changed  # version 1 is as it was
    assert [v.number for v in repo.listing()] == [2, 1]
    # A file unchanged between versions is stored once.
    with repo.engine.connect() as c:
        assert c.execute(text("SELECT COUNT(*) FROM blobs")).scalar() == 4


def test_of_two_publishes_on_the_same_version_one_wins_and_the_other_is_told(repo):
    repo.publish(FILES, "ana", "first", None)
    repo.publish({**FILES, "a.csv": b"x\n2\n"}, "ana", "second", 1)
    with pytest.raises(PublishConflict, match="Version 2 was published after this one was prepared"):
        repo.publish({**FILES, "b.csv": b"y\n9\n"}, "bob", "late", 1)
    assert repo.latest() == 2 and repo.files(2)["b.csv"] == b"y\n2\n"  # nothing of bob's went in


def test_publishes_racing_from_many_threads_make_exactly_one_version_each_whole(repo):
    repo.publish(FILES, "ana", "first", None)
    results: list[object] = []
    barrier = threading.Barrier(6)

    def publish(k: int) -> None:
        barrier.wait()
        try:
            results.append(repo.publish({**FILES, "a.csv": f"x\n{k}\n".encode()}, f"user{k}", "race", 1).number)
        except PublishConflict as err:
            results.append(err)

    threads = [threading.Thread(target=publish, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    wins = [r for r in results if isinstance(r, int)]
    assert wins == [2] and len(results) == 6
    assert all(isinstance(r, PublishConflict) for r in results if r not in wins)
    with repo.engine.connect() as c:
        assert c.execute(select(func.count()).select_from(versions)).scalar() == 2
        assert (
            c.execute(select(func.count()).select_from(version_files).where(version_files.c.version == 2)).scalar() == 3
        )


def test_a_publish_that_fails_half_way_leaves_no_half_version(repo, monkeypatch):
    repo.publish(FILES, "ana", "first", None)
    import data.versions as module

    real = module.insert

    def failing(table):
        if table is version_files:
            raise RuntimeError("the server died here")
        return real(table)

    monkeypatch.setattr(module, "insert", failing)
    with pytest.raises(RuntimeError):
        repo.publish({**FILES, "a.csv": b"x\n7\n"}, "ana", "broken", 1)
    monkeypatch.undo()
    assert repo.latest() == 1 and repo.get(2) is None and repo.files(2) == {}


def test_a_draft_is_kept_for_every_server_and_published_only_once(repo):
    repo.publish(FILES, "ana", "first", None)
    draft = repo.save_draft({**FILES, "b.csv": b"y\n3\n"}, 1, "ana", "b.csv")
    found = repo.draft(draft.id)
    assert found is not None and (found.base_version, found.created_by, found.uploaded) == (1, "ana", "b.csv")
    assert repo.draft_files(draft.id)["b.csv"] == b"y\n3\n"
    assert repo.draft("0" * 32) is None and repo.draft("../../etc") is None
    v = repo.publish(repo.draft_files(draft.id), "ana", "b", 1, draft=draft.id)
    assert repo.draft(draft.id).published_as == v.number == 2
    with pytest.raises(PublishConflict):
        repo.publish(repo.draft_files(draft.id), "ana", "b again", 2, draft=draft.id)
    assert repo.latest() == 2


def test_rolling_back_publishes_an_earlier_version_again_and_deletes_nothing(repo):
    repo.publish(FILES, "ana", "first", None)
    repo.publish({**FILES, "a.csv": b"x\n9\n"}, "ana", "a mistake", 1)
    back = repo.republish(1, "ana", "undo the mistake", 2)
    assert (back.number, back.republished_from, back.changed) == (3, 1, ("a",))
    assert repo.files(3) == repo.files(1) and repo.files(2)["a.csv"] == b"x\n9\n"
    with pytest.raises(KeyError):
        repo.republish(99, "ana", "no such", 3)


def test_versions_are_marked_as_presented_to_the_board(repo):
    repo.publish(FILES, "ana", "first", None)
    assert repo.state() == (1, 0)
    repo.mark_presented(1, date(2021, 2, 3), "Strategic Policing and Crime Board", "ana")
    (shown,) = repo.get(1).presentations
    assert (shown.presented_on, shown.meeting, shown.marked_by) == (
        date(2021, 2, 3),
        "Strategic Policing and Crime Board",
        "ana",
    )
    assert repo.state() == (1, 1)
    with pytest.raises(KeyError):
        repo.mark_presented(5, date(2021, 2, 3), "", "ana")


def test_every_process_sees_a_publish_within_its_poll_interval(repo):
    repo.import_folder(DATA_DIR)
    now = [0.0]
    elsewhere = Library(Versions(repo.engine), poll_seconds=1.0, clock=lambda: now[0])
    assert elsewhere.current() == 1
    files = repo.files(1)
    repo.publish(
        {**files, "datasets.csv": files["datasets.csv"].replace(b"Terrorism threat picture", b"Threat")}, "a", "n", 1
    )
    now[0] = 0.5
    assert elsewhere.current() == 1  # not asked again yet
    now[0] = 1.0
    assert elsewhere.current() == 2
    assert elsewhere.store(2, sensitive=False).catalogue["ct_threat"].title == "Threat"
    assert elsewhere.store(1, sensitive=False).catalogue["ct_threat"].title == "Terrorism threat picture"


def test_while_one_thread_asks_the_database_the_others_answer_with_the_version_known():
    """A slow poll holds no other request: only the thread that asks waits for the database."""
    asked, answer = threading.Event(), threading.Event()

    class SlowVersions:
        polls = 0

        def state(self):
            SlowVersions.polls += 1
            if SlowVersions.polls > 1:  # the second poll hangs until answered
                asked.set()
                answer.wait(10)
                return 2, 0
            return 1, 0

    now = [0.0]
    library = Library(SlowVersions(), poll_seconds=1.0, clock=lambda: now[0])
    assert library.current() == 1
    now[0] = 1.0
    polling = threading.Thread(target=library.current)
    polling.start()
    assert asked.wait(5)
    assert library.current() == 1  # at once, while the poll is under way
    answer.set()
    polling.join()
    assert library.current() == 2 and SlowVersions.polls == 2


def test_changed_files_names_added_removed_and_changed():
    assert changed_files({"a.csv": b"1", "b.csv": b"2"}, {"a.csv": b"1", "b.csv": b"3", "c.csv": b""}) == ("b", "c")
    assert changed_files({"a.csv": b"1"}, {}) == ("a",)


# Accounts and the audit log ---------------------------------------------------------------------------


def test_accounts_sign_in_with_argon2_hashes_and_log_every_attempt(engine):
    accounts = Accounts(engine)
    accounts.add("ana", "a long enough password", "analyst", "cli")
    with engine.connect() as c:
        stored = c.execute(text("SELECT password_hash FROM users")).scalar()
    assert stored.startswith("$argon2id$") and "a long enough password" not in stored
    user, why = accounts.sign_in("ana", "a long enough password", "10.0.0.1")
    assert user is not None and user.role == "analyst" and why == ""
    assert accounts.sign_in("ana", "wrong", "10.0.0.1")[0] is None
    assert accounts.sign_in("nobody", "wrong", "10.0.0.2") == (None, "The user name or password is not right.")
    actions = [e.action for e in accounts.log_entries()]
    assert actions[:4] == ["sign-in-failed", "sign-in-failed", "sign-in", "user-added"]
    assert accounts.recent_failures("10.0.0.1") == 1 and accounts.recent_failures("10.0.0.2") == 1


def test_an_account_is_locked_after_repeated_wrong_passwords(engine):
    accounts = Accounts(engine)
    accounts.add("ana", "a long enough password", "analyst", "cli")
    for _ in range(MAX_FAILURES):
        user, why = accounts.sign_in("ana", "wrong", "10.0.0.1")
    assert user is None and "locked" in why
    user, why = accounts.sign_in("ana", "a long enough password", "10.0.0.1")
    assert user is None and f"locked after {MAX_FAILURES}" in why  # even the right password, for a while
    assert accounts.get("ana").locked_until is not None
    assert LOCK_MINUTES >= 5


def test_a_role_change_ends_the_users_sessions_and_is_logged(engine):
    accounts = Accounts(engine)
    accounts.add("ana", "a long enough password", "analyst", "admin1")
    before = accounts.get("ana").epoch
    accounts.set_role("ana", "viewer", "admin1")
    after = accounts.get("ana")
    assert after.role == "viewer" and after.epoch == before + 1
    assert accounts.log_entries(1)[0].action == "role-changed"
    with pytest.raises(AccountError, match="already a user"):
        accounts.add("ana", "another long password", "viewer", "admin1")
    with pytest.raises(AccountError, match="at least 12"):
        accounts.add("bob", "short", "viewer", "admin1")
    with pytest.raises(AccountError, match="role is one of"):
        accounts.add("bob", "a long enough password", "root", "admin1")


def test_the_users_command_creates_the_first_admin(url):
    env = {**os.environ, "SPR_DATABASE_URL": url}
    done = subprocess.run(
        [sys.executable, "-m", "web", "users", "add", "chief", "--role", "admin", "--password-stdin"],
        cwd=ROOT,
        env=env,
        input="the first admin's password\n",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "Added chief as admin." in done.stdout
    accounts = Accounts(engine_for(url))
    assert accounts.get("chief").role == "admin"
    assert accounts.sign_in("chief", "the first admin's password", "127.0.0.1")[0] is not None


if PG:  # on SQLite the same is tests/test_faults.py

    def test_a_publish_reaches_every_worker_within_2_seconds_with_no_signal(url):
        """gunicorn with 2 workers on PostgreSQL; a folder published from the command line."""
        from bench.faults import publish_bad_then_good_data

        result = publish_bad_then_good_data(source=DATA_DIR, database_url=url)
        assert result["rejected"] and result["error_names_file_line_column"], result
        assert result["last_good_data_served"] and result["server_running"], result
        assert result["valid_change_served"] and result["spread_s"] <= 2.0, result
        assert not result["workers_restarted"], result
