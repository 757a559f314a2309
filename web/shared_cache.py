"""The cache of finished answers (drawn pages, finished exports), through Flask-Caching.

- With ``SPR_REDIS_URL`` set, every worker of every server shares one Redis; Redis itself is bounded in
  bytes (``maxmemory`` with ``allkeys-lru``, as ``make cluster`` starts it).
- Without it (``make run``), each process keeps an in-process cache bounded in bytes
  (``SPR_CACHE_MB``), least recently used first out.

Keys carry what the answer depends on: the version and which of its datasets this reader may see
(``store_token``), and the caller adds the role and the address. A store that is not a published
version (a draft, a folder) has no token, and its answers are not kept here.

If Redis stops answering, pages are drawn afresh (uncached) with no error; the log says so once, and
Redis is tried again a few seconds later.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import OrderedDict
from collections.abc import Callable

from flask import Flask, current_app
from flask_caching import Cache
from flask_caching.backends.base import BaseCache

from data.loader import DataStore
from settings import Settings

log = logging.getLogger(__name__)

EXTENSION = "spr-cache"
#: How long a kept answer lives (a version never changes, so this only ages out the unused).
TIMEOUT_SECONDS = 24 * 60 * 60
#: After Redis fails, how long answers go uncached before it is tried again.
RETRY_SECONDS = 5.0
#: How long one Redis call may take before the answer is drawn without it.
REDIS_TIMEOUT_SECONDS = 0.5


class BytesLRUCache(BaseCache):
    """An in-process Flask-Caching backend for bytes, bounded by their total size (least recently used
    out first). A value larger than a quarter of the bound is not kept."""

    def __init__(self, max_bytes: int = 256 * 1024 * 1024, default_timeout: int = TIMEOUT_SECONDS):
        super().__init__(default_timeout=default_timeout)
        self.max_bytes = max_bytes
        self.size = 0
        self._items: OrderedDict[str, tuple[float, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    @classmethod
    def factory(cls, app, config, args, kwargs):
        return cls(max_bytes=config["CACHE_MAX_BYTES"], default_timeout=config["CACHE_DEFAULT_TIMEOUT"])

    def get(self, key: str):
        with self._lock:
            found = self._items.get(key)
            if found is None:
                return None
            expires, value = found
            if expires and expires < time.monotonic():
                self._drop(key)
                return None
            self._items.move_to_end(key)
            return value

    def set(self, key: str, value, timeout: int | None = None) -> bool:
        if not isinstance(value, bytes | bytearray) or len(value) > self.max_bytes // 4:
            return False
        timeout = self._normalize_timeout(timeout)
        expires = time.monotonic() + timeout if timeout else 0.0
        with self._lock:
            self._drop(key)
            self._items[key] = (expires, bytes(value))
            self.size += len(value)
            while self.size > self.max_bytes:
                self._drop(next(iter(self._items)))
        return True

    def add(self, key: str, value, timeout: int | None = None) -> bool:
        return self.get(key) is None and self.set(key, value, timeout)

    def delete(self, key: str) -> bool:
        with self._lock:
            return self._drop(key)

    def has(self, key: str) -> bool:
        return self.get(key) is not None

    def clear(self) -> bool:
        with self._lock:
            self._items.clear()
            self.size = 0
        return True

    def _drop(self, key: str) -> bool:
        found = self._items.pop(key, None)
        if found is None:
            return False
        self.size -= len(found[1])
        return True


class SharedCache:
    """Bytes by key, in Redis or in this process; never raises (a failing Redis means no caching)."""

    def __init__(self, cache: Cache, shared: bool):
        self.cache = cache
        #: Whether every server shares it (Redis), or it is this process's own.
        self.shared = shared
        self._down_until = 0.0
        self._lock = threading.Lock()

    def get(self, key: str) -> bytes | None:
        if self._resting():
            return None
        try:
            value = self.cache.get(key)
        except Exception as err:  # Redis down or slow: answer without the cache
            self._failed(err)
            return None
        return value if isinstance(value, bytes) else None

    def set(self, key: str, value: bytes) -> None:
        if self._resting():
            return
        try:
            self.cache.set(key, value, timeout=TIMEOUT_SECONDS)
        except Exception as err:
            self._failed(err)

    def _resting(self) -> bool:
        return time.monotonic() < self._down_until

    def _failed(self, err: Exception) -> None:
        with self._lock:
            if self._resting():
                return
            self._down_until = time.monotonic() + RETRY_SECONDS
        log.warning(
            "The shared cache (Redis) is not answering (%s): pages are drawn without it; trying again in %g s",
            err.__class__.__name__,
            RETRY_SECONDS,
        )


def store_token(store: DataStore) -> str | None:
    """What a kept answer drawn from ``store`` depends on: its version and the datasets withheld from
    this reader. None for data that is not a published version (not kept in the shared cache)."""
    if store.version is None:
        return None
    withheld = hashlib.sha256("\n".join(sorted(store.withheld)).encode()).hexdigest()[:12]
    return f"v{store.version}-{withheld}"


def cache_key(store: DataStore, *parts: object) -> str | None:
    """A key for an answer drawn from ``store`` that depends on ``parts`` (role, address, format...)."""
    token = store_token(store)
    if token is None:
        return None
    return f"spr:{token}:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def install(server: Flask, settings: Settings) -> SharedCache:
    """The app's cache: Redis when ``settings.redis_url`` names one, else in-process."""
    if settings.redis_url:
        config = {
            "CACHE_TYPE": "RedisCache",
            "CACHE_REDIS_URL": settings.redis_url,
            "CACHE_KEY_PREFIX": "",
            "CACHE_DEFAULT_TIMEOUT": TIMEOUT_SECONDS,
            "CACHE_OPTIONS": {
                "socket_timeout": REDIS_TIMEOUT_SECONDS,
                "socket_connect_timeout": REDIS_TIMEOUT_SECONDS,
            },
        }
    else:
        config = {
            "CACHE_TYPE": f"{__name__}.BytesLRUCache",
            "CACHE_MAX_BYTES": settings.cache_mb * 1024 * 1024,
            "CACHE_DEFAULT_TIMEOUT": TIMEOUT_SECONDS,
        }
    shared = SharedCache(Cache(server, config=config), shared=bool(settings.redis_url))
    server.extensions[EXTENSION] = shared
    return shared


def shared_cache() -> SharedCache:
    """The cache of the app answering the current request."""
    return current_app.extensions[EXTENSION]


def kept(store: DataStore, parts: tuple, make: Callable[[], bytes]) -> bytes:
    """The answer ``make()`` gives for ``parts`` drawn from ``store``: from the shared cache when it holds
    it, else made and kept there. Data that is not a published version is made afresh each time."""
    key = cache_key(store, *parts)
    if key is None:
        return make()
    cache = shared_cache()
    found = cache.get(key)
    if found is None:
        found = make()
        cache.set(key, found)
    return found
