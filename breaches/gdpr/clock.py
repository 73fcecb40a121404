"""The 72-hour clock of article 33(1): when the network is controller, the CNIL must be notified within 72 hours
of the network becoming aware of the breach; after that, the notification gives the reason for the delay."""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

NOTIFY_WITHIN = dt.timedelta(hours=72)
# Reminders to national staff, in hours after awareness; 72 is the "late" notice.
MILESTONES = (24, 48, 66, 72)


class ClockState:
    RUNNING = "running"
    LATE = "late"
    NOTIFIED = "notified"
    NOTIFIED_LATE = "notified_late"


STATE_LABELS = {
    ClockState.RUNNING: _("Délai en cours"),
    ClockState.LATE: _("En retard"),
    ClockState.NOTIFIED: _("Notifiée dans le délai"),
    ClockState.NOTIFIED_LATE: _("Notifiée en retard"),
}


@dataclass(frozen=True)
class Clock:
    deadline: dt.datetime
    state: str
    hours_left: int  # whole hours until the deadline (negative once passed); 0 once notified

    @property
    def label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def is_late(self) -> bool:
        return self.state in (ClockState.LATE, ClockState.NOTIFIED_LATE)

    @property
    def is_running(self) -> bool:
        return self.state in (ClockState.RUNNING, ClockState.LATE)


def clock_of(breach, *, now: dt.datetime) -> Clock | None:
    """The clock of a breach, or None when it has none (the network is not controller, or awareness unknown)."""
    if not breach.is_controller or breach.aware_at is None:
        return None
    deadline = breach.aware_at + NOTIFY_WITHIN
    notified = breach.cnil_notified_at
    if notified is not None:
        state = ClockState.NOTIFIED if notified <= deadline else ClockState.NOTIFIED_LATE
        return Clock(deadline=deadline, state=state, hours_left=0)
    left = deadline - now
    state = ClockState.RUNNING if left > dt.timedelta(0) else ClockState.LATE
    return Clock(deadline=deadline, state=state, hours_left=int(left.total_seconds() // 3600))


def milestone_due(breach, *, now: dt.datetime) -> int | None:
    """The latest reminder milestone (hours) reached by a running clock at `now`, or None."""
    clock = clock_of(breach, now=now)
    if clock is None or not clock.is_running:
        return None
    elapsed = now - breach.aware_at
    reached = [hours for hours in MILESTONES if elapsed >= dt.timedelta(hours=hours)]
    return reached[-1] if reached else None
