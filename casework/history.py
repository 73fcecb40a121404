"""The person's history at a fund, shown with a lookup (registered in CaseworkConfig.ready with
breaches.lookup.history): the fund's own checks and cases, the shared-account alerts on the person's accounts there,
and how many other funds have checked them or opened a case (a count only: which funds is theirs to know)."""

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from casework.cases.models import Case
from casework.checks.models import Check
from casework.risk.models import IbanSighting, SharedAccountAlert
from network.models import Fund

SHOWN = 10


def _checks(digest: str, fund: Fund) -> list[dict]:
    checks = Check.objects.filter(fund=fund, person_digest=digest).order_by("-created_at", "-id")[:SHOWN]
    return [{"id": c.pk, "at": c.created_at, "kind": c.get_kind_display(), "outcome": c.outcome,
             "outcome_label": c.get_outcome_display(), "url": reverse("check-detail", args=[c.pk])} for c in checks]


def _cases(digest: str, fund: Fund) -> list[dict]:
    cases = Case.objects.filter(fund=fund, subject_digest=digest).order_by("-created_at", "-id")[:SHOWN]
    return [{"id": c.pk, "summary": c.summary, "status": c.status, "status_label": c.get_status_display(),
             "closing_reason": c.closing_reason, "closing_reason_label": c.get_closing_reason_display(),
             "opened_at": c.created_at, "closed_at": c.closed_at, "due_on": c.due_on,
             "url": reverse("case-detail", args=[c.pk])} for c in cases]


def _alerts(digest: str, fund: Fund) -> list[dict]:
    accounts = IbanSighting.objects.filter(person_digest=digest, fund=fund).values("iban_digest")
    alerts = SharedAccountAlert.objects.filter(iban_digest__in=accounts, funds=fund).order_by("-updated_at")
    return [{"reference": a.reference, "people_count": a.people_count, "updated_at": a.updated_at}
            for a in alerts[:SHOWN]]


def _other_funds(digest: str, fund: Fund) -> int:
    checked = Check.objects.filter(fund=OuterRef("pk"), person_digest=digest)
    opened = Case.objects.filter(fund=OuterRef("pk"), subject_digest=digest)
    return Fund.objects.filter(Q(Exists(checked)) | Q(Exists(opened))).exclude(pk=fund.pk).count()


def person_history(*, digest: str, fund: Fund) -> dict:
    """{"checks", "cases", "alerts", "other_funds", "blocked_attempt"} for the person (by digest) at `fund`.
    `blocked_attempt`: a case of theirs here was closed "Tentative bloquée" — a new request is a repeat attempt.
    Assumes the caller passed the lookup gate for `fund`."""
    cases = _cases(digest, fund)
    blocked = any(c["closing_reason"] == Case.ClosingReason.ATTEMPT_BLOCKED for c in cases) or (
        len(cases) == SHOWN and Case.objects.filter(
            fund=fund, subject_digest=digest, closing_reason=Case.ClosingReason.ATTEMPT_BLOCKED).exists())
    return {"checks": _checks(digest, fund), "cases": cases, "alerts": _alerts(digest, fund),
            "other_funds": _other_funds(digest, fund), "blocked_attempt": blocked}
