"""Live progress of a running import: a callback (the command's progress bar) and, on PostgreSQL, the cohort row
updated through a second connection, so the page sees it while the import's own transaction is still open."""

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.utils import timezone

from breaches.models import Cohort


@dataclass(slots=True)
class Progress:
    rows: int = 0
    accepted: int = 0
    rejected: int = 0
    fraction: float = 0.0


class Tracker:
    EVERY_ROWS = 5000
    EVERY_SECONDS = 0.5

    def __init__(self, *, cohort: Cohort, attempt: int, on_progress: Callable[[Progress], None] | None = None):
        self.cohort, self.attempt, self.on_progress = cohort, attempt, on_progress
        self.state = Progress()
        self._last = 0.0
        self._side = connections.create_connection(DEFAULT_DB_ALIAS) if connection.vendor == "postgresql" else None

    def count(self, *, accepted: int, rejected: int, fraction: float) -> None:
        state = self.state
        before = state.rows
        state.rows += accepted + rejected
        state.accepted += accepted
        state.rejected += rejected
        if (state.rows // self.EVERY_ROWS > before // self.EVERY_ROWS
                or time.monotonic() - self._last > self.EVERY_SECONDS):
            state.fraction = fraction
            self.publish()

    def publish(self) -> None:
        self._last = time.monotonic()
        if self.on_progress:
            self.on_progress(self.state)
        if self._side is not None:
            with self._side.cursor() as cursor:
                cursor.execute(
                    f"UPDATE {Cohort._meta.db_table} SET rows = %s, imported = %s, rejected = %s, progress = %s, "
                    "heartbeat_at = %s WHERE id = %s AND attempts = %s AND status = %s",
                    [self.state.rows, self.state.accepted, self.state.rejected, int(self.state.fraction * 99),
                     timezone.now(), self.cohort.pk, self.attempt, Cohort.Status.RUNNING],
                )

    def close(self) -> None:
        if self._side is not None:
            self._side.close()
