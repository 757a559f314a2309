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
)


@dataclass(frozen=True)
class Settings:
    host: str
    port: int
    data_dir: Path
    log_level: str
    #: 0 means "work it out from the CPU count".
    workers: int = 0


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
    data_dir = Path(values["SPR_DATA_DIR"])
    if not data_dir.is_absolute():
        data_dir = ROOT / data_dir
    return Settings(host=values["SPR_HOST"], port=port, data_dir=data_dir, log_level=level, workers=workers)


def configure_logging(level: str) -> None:
    """Log to stderr with time, level and logger name (gunicorn collects it)."""
    logging.basicConfig(
        level=getattr(logging, level, logging.INFO),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # The image exporter's browser driver logs every tab it opens at INFO.
    for noisy in ("kaleido", "choreographer"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLogger().level))
