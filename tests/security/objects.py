"""Objects of fund A and fund B for the permission matrix, built once per test through the apps' own services.

Each builder takes the fund the object must belong to (None for national objects) and returns the object;
`reset()` runs before each test. Add a builder here when a new route needs a new kind of object.
"""

from functools import wraps

from django.core.files.uploadedfile import SimpleUploadedFile

_cache: dict = {}


def reset() -> None:
    _cache.clear()


def cached(builder):
    @wraps(builder)
    def wrapper(fund=None):
        key = (builder.__name__, getattr(fund, "pk", None))
        if key not in _cache:
            _cache[key] = builder(fund)
        return _cache[key]

    return wrapper


def _member(fund, role="agent"):
    return fund.memberships.filter(role=role).select_related("user").first().user


@cached
def national_user(fund=None):
    from network.models import Membership

    return Membership.objects.filter(role="national").select_related("user").first().user


@cached
def check(fund):
    from casework.checks.services import check_log
    from tests.casework.factories import new_nir

    logged = check_log(actor=_member(fund), nir=new_nir(), kind="identity", channel="phone", outcome="anomaly",
                       fund=fund)
    return logged.check


@cached
def case(fund):
    from tests.casework.factories import open_case

    return open_case(fund=fund, actor=_member(fund, "manager") if fund.code == "561" else _member(fund))


@cached
def attachment(fund):
    from casework.cases.attachments import case_attach

    upload = SimpleUploadedFile("piece.pdf", b"%PDF-1.7\n%%EOF\n", content_type="application/pdf")
    return case_attach(case=case(fund), actor=_member(fund), upload=upload)


@cached
def instruction(fund=None):
    from tests.notifications.factories import issued

    return issued(national_user())


@cached
def draft_instruction(fund=None):
    from tests.notifications.factories import draft

    return draft(national_user(), title="Brouillon")


@cached
def delivery(fund):
    return instruction().deliveries.get(fund=fund)


@cached
def breach(fund=None):
    from tests.breaches.factories import BreachFactory

    return BreachFactory()


@cached
def closed_breach(fund=None):
    from django.utils import timezone

    from tests.breaches.factories import BreachFactory

    return BreachFactory(status="closed", status_changed_at=timezone.now())


@cached
def breach_document(fund=None):
    """A timeline event of the national breach with a PDF document (served to national staff only)."""
    from django.utils import timezone

    from breaches.gdpr.services import breach_event_add

    return breach_event_add(breach=breach(), actor=None, kind="letter_in", occurred_at=timezone.now(),
                            summary="Courrier", upload=SimpleUploadedFile("courrier.pdf", b"%PDF-1.4\n%%EOF\n"))


@cached
def cohort(fund=None):
    from tests.breaches.factories import CohortFactory

    return CohortFactory(breach=breach())


@cached
def alert(fund):
    from casework.risk.models import SharedAccountAlert

    alert = SharedAccountAlert.objects.create(iban_digest=f"{fund.pk:064x}", people_count=3)
    alert.funds.add(fund)
    return alert


@cached
def instruction_template(fund=None):
    from notifications.services import template_save

    return template_save(actor=national_user(), name="Modèle de test", title="Vigilance", body="Texte",
                         required_actions=["Vérifier"], reply_days=5)
