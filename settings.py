"""Settings, each from an environment variable with a default and a line of help.

``SETTINGS`` is the one declaration; the README lists the same variables (a
test checks that it does). Read them with ``get_settings()``, never at import.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Setting:
    """One environment variable: its name, default and what it does."""

    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting("SPR_HOST", "127.0.0.1", "Address the server listens on."),
    Setting("SPR_PORT", "8050", "Port the server listens on."),
    Setting(
        "SPR_DATA_DIR",
        "data/tables",
        "Folder holding datasets.csv and the dataset CSV files (relative to the project).",
    ),
    Setting("SPR_LOG_LEVEL", "INFO", "Logging level: DEBUG, INFO, WARNING or ERROR."),
    Setting("SPR_WORKERS", "auto", "Number of gunicorn workers; auto is twice the CPUs plus one."),
    Setting(
        "SPR_THREADS",
        "4",
        "Threads per gunicorn worker (1 to 64): a worker answers pages while another request waits on an export.",
    ),
    Setting(
        "SPR_STATE_DIR",
        "state",
        "Folder for what the server keeps: the SQLite database (when SPR_DATABASE_URL is blank). Made if missing.",
    ),
    Setting(
        "SPR_DATABASE_URL",
        "",
        "A database to use instead of SQLite, e.g. postgresql+psycopg://user:password@host:5432/spr.",
    ),
    Setting(
        "SPR_PUBLIC",
        "true",
        "true: anyone may view the OFFICIAL figures without signing in; false: every reader signs in.",
    ),
    Setting(
        "SPR_SECRET_KEY",
        "",
        "Key that signs session cookies; blank: one is made and kept in the database (shared by every server).",
    ),
    Setting("SPR_SESSION_IDLE_MINUTES", "30", "Minutes without a request after which a signed-in user is signed out."),
    Setting(
        "SPR_SENSITIVE_ROLES",
        "viewer,analyst,admin",
        "Roles whose signed-in users may see OFFICIAL-SENSITIVE figures (comma separated).",
    ),
    Setting(
        "SPR_RATE_LIMIT_STORAGE",
        "memory://",
        "Where sign-in rate limits are counted (Flask-Limiter storage URI, e.g. redis://host:6379).",
    ),
    Setting(
        "SPR_PROXY_AUTH_FROM",
        "",
        "Addresses of a signing-in reverse proxy whose user headers are trusted (comma separated); blank: none.",
    ),
    Setting("SPR_PROXY_USER_HEADER", "X-Forwarded-User", "Header the signing-in proxy puts the user's name in."),
    Setting("SPR_PROXY_GROUPS_HEADER", "X-Forwarded-Groups", "Header the signing-in proxy puts the user's groups in."),
    Setting(
        "SPR_PROXY_ROLES",
        "",
        "Proxy groups mapped to roles, e.g. spr-analysts=analyst,spr-admins=admin (others are viewers).",
    ),
    Setting(
        "SPR_REDIS_URL",
        "",
        "Redis shared by every server for cached pages, exports and the export queue (redis://host:6379/0); blank: none.",
    ),
    Setting(
        "SPR_CACHE_MB", "256", "Megabytes of drawn pages and exports each process keeps when SPR_REDIS_URL is blank."
    ),
    Setting(
        "SPR_EXPORT_NICE",
        "10",
        "CPU priority an export worker gives up (0 to 19): on a shared host, pages are answered first.",
    ),
    Setting(
        "SPR_DATA_LICENCE_URL",
        "",
        "Address of the licence the figures are published under, when the publisher has stated one.",
    ),
)

ROLES: tuple[str, ...] = ("viewer", "analyst", "admin")


@dataclass(frozen=True)
class Settings:
    host: str
    port: int
    data_dir: Path
    log_level: str
    #: 0 means "work it out from the CPU count".
    workers: int = 0
    threads: int = 4
    state_dir: Path = ROOT / "state"
    database_url: str = ""
    public: bool = True
    secret_key: str = ""
    session_idle_minutes: int = 30
    sensitive_roles: frozenset[str] = frozenset(ROLES)
    rate_limit_storage: str = "memory://"
    proxy_auth_from: frozenset[str] = frozenset()
    proxy_user_header: str = "X-Forwarded-User"
    proxy_groups_header: str = "X-Forwarded-Groups"
    #: Proxy group → role.
    proxy_roles: tuple[tuple[str, str], ...] = ()
    data_licence_url: str = ""
    redis_url: str = ""
    cache_mb: int = 256
    export_nice: int = 10

    @property
    def database(self) -> str:
        """The database address: SPR_DATABASE_URL, else SQLite in the state folder."""
        return self.database_url or f"sqlite:///{self.state_dir / 'spr.sqlite3'}"


class SettingsError(ValueError):
    """A setting has a value that cannot be used."""


def get_settings(environ: Mapping[str, str] | None = None) -> Settings:
    """Settings from ``environ`` (default: the process environment) over the defaults."""
    env = os.environ if environ is None else environ
    values = {s.name: env.get(s.name, "").strip() or s.default for s in SETTINGS}
    try:
        port = int(values["SPR_PORT"])
    except ValueError:
        raise SettingsError(f"SPR_PORT must be a whole number, not {values['SPR_PORT']!r}") from None
    if not 1 <= port <= 65535:
        raise SettingsError(f"SPR_PORT must be between 1 and 65535, not {port}")
    level = values["SPR_LOG_LEVEL"].upper()
    if level not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
        raise SettingsError(f"SPR_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, not {level!r}")
    workers_text = values["SPR_WORKERS"].lower()
    if workers_text == "auto":
        workers = 0
    elif workers_text.isdigit() and int(workers_text) > 0:
        workers = int(workers_text)
    else:
        raise SettingsError(f"SPR_WORKERS must be 'auto' or a whole number above 0, not {values['SPR_WORKERS']!r}")
    threads = values["SPR_THREADS"]
    if not threads.isdigit() or not 1 <= int(threads) <= 64:
        raise SettingsError(f"SPR_THREADS must be a whole number from 1 to 64, not {threads!r}")
    data_dir = _path(values["SPR_DATA_DIR"])
    public = values["SPR_PUBLIC"].lower()
    if public not in ("true", "false"):
        raise SettingsError(f"SPR_PUBLIC must be true or false, not {values['SPR_PUBLIC']!r}")
    idle = values["SPR_SESSION_IDLE_MINUTES"]
    if not idle.isdigit() or not 1 <= int(idle) <= 24 * 60:
        raise SettingsError(f"SPR_SESSION_IDLE_MINUTES must be a whole number from 1 to 1440, not {idle!r}")
    roles = _names(values["SPR_SENSITIVE_ROLES"])
    unknown = sorted(roles - set(ROLES))
    if unknown:
        raise SettingsError(f"SPR_SENSITIVE_ROLES names roles that do not exist: {', '.join(unknown)}")
    proxy_roles: list[tuple[str, str]] = []
    for pair in _names(values["SPR_PROXY_ROLES"], keep_order=True):
        group, _, role = pair.partition("=")
        if not group.strip() or role.strip() not in ROLES:
            raise SettingsError(f"SPR_PROXY_ROLES must be group=role pairs with roles {', '.join(ROLES)}: {pair!r}")
        proxy_roles.append((group.strip(), role.strip()))
    cache_mb = values["SPR_CACHE_MB"]
    if not cache_mb.isdigit() or not 1 <= int(cache_mb) <= 64 * 1024:
        raise SettingsError(f"SPR_CACHE_MB must be a whole number from 1 to 65536, not {cache_mb!r}")
    nice = values["SPR_EXPORT_NICE"]
    if not nice.isdigit() or not 0 <= int(nice) <= 19:
        raise SettingsError(f"SPR_EXPORT_NICE must be a whole number from 0 to 19, not {nice!r}")
    redis_url = values["SPR_REDIS_URL"]
    if redis_url and not redis_url.startswith(("redis://", "rediss://", "unix://")):
        raise SettingsError("SPR_REDIS_URL must be a redis://, rediss:// or unix:// address")
    url = values["SPR_DATABASE_URL"]
    if url and not url.startswith(("sqlite:", "postgresql")):
        raise SettingsError("SPR_DATABASE_URL must be a sqlite:/// or postgresql+psycopg:// address")
    return Settings(
        host=values["SPR_HOST"],
        port=port,
        data_dir=data_dir,
        log_level=level,
        workers=workers,
        threads=int(threads),
        state_dir=_path(values["SPR_STATE_DIR"]),
        database_url=url,
        public=public == "true",
        secret_key=values["SPR_SECRET_KEY"],
        session_idle_minutes=int(idle),
        sensitive_roles=frozenset(roles),
        rate_limit_storage=values["SPR_RATE_LIMIT_STORAGE"],
        proxy_auth_from=frozenset(_names(values["SPR_PROXY_AUTH_FROM"])),
        proxy_user_header=values["SPR_PROXY_USER_HEADER"],
        proxy_groups_header=values["SPR_PROXY_GROUPS_HEADER"],
        proxy_roles=tuple(proxy_roles),
        data_licence_url=values["SPR_DATA_LICENCE_URL"],
        redis_url=redis_url,
        cache_mb=int(cache_mb),
        export_nice=int(nice),
    )


def _path(text: str) -> Path:
    path = Path(text)
    return path if path.is_absolute() else ROOT / path


def _names(text: str, keep_order: bool = False):
    parts = [p.strip() for p in text.split(",") if p.strip()]
    return parts if keep_order else set(parts)


def configure_logging(level: str) -> None:
    """Log to stderr with time, level and logger name (gunicorn collects it)."""
    logging.basicConfig(
        level=getattr(logging, level, logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # The image exporter's browser driver logs every tab it opens at INFO.
    for noisy in ("kaleido", "choreographer"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLogger().level))
