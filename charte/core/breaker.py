"""A circuit breaker for a dependency that may hang or be down (the Redis cache, the search
engine): after a failure the dependency is left alone for ``retry_after`` seconds, during which
callers answer at once without it; one warning is logged when an outage starts, one when the
dependency answers again, never one per request.

The state is per process, shared by its threads, and kept per key (a server's address), so that
every object talking to the same server sees the same outage.
"""

from __future__ import annotations

import logging
import threading
import time

_lock = threading.Lock()


class CircuitBreaker:
    """``key``: what is broken (a server's address); ``retry_after``: seconds before the
    dependency is tried again; ``outages``: the dictionary of outage starts this breaker shares
    with the others of its kind (key → time of the last failure)."""

    def __init__(
        self,
        key: str,
        *,
        retry_after: float,
        outages: dict[str, float],
        logger: logging.Logger,
        down_message: str,
        back_message: str,
    ):
        self.key = key
        self.retry_after = float(retry_after)
        self.outages = outages
        self.logger = logger
        self.down_message = down_message  # formatted with the error's class name
        self.back_message = back_message

    @property
    def is_open(self) -> bool:
        """True while the dependency is known to be down and not yet due for another try."""
        with _lock:
            since = self.outages.get(self.key)
        return since is not None and time.monotonic() - since < self.retry_after

    def failed(self, error: BaseException) -> None:
        """The dependency failed (or did not answer in time): leave it alone for a while."""
        with _lock:
            first = self.key not in self.outages
            self.outages[self.key] = time.monotonic()
        if first:
            self.logger.warning(self.down_message, error.__class__.__name__)

    def succeeded(self) -> None:
        """The dependency answered: close the breaker, saying so once if it was open."""
        with _lock:
            was_down = self.outages.pop(self.key, None) is not None
        if was_down:
            self.logger.warning(self.back_message)
