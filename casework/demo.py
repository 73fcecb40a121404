"""Demo casework in fund 561: a few checks, cases in each state, a shared-account alert, and signals that hit
people of the demo cohort (the breaches demo, seeded before this one, loads it). Idempotent: run it again, nothing
doubles."""

import datetime

from django.contrib.auth import get_user_model
from django.utils import timezone

from breaches.models import AffectedPerson
from breaches.nir import make_nir
from casework.cases.models import Case
from casework.cases.services import case_assign, case_change_status, case_comment, case_open
from casework.checks.models import Check
from casework.checks.services import check_log
from casework.iban import make_french_iban
from casework.identity import person_from_nir
from casework.risk.models import SignalBatch
from casework.risk.services import Signal, signals_match
from network.models import Fund

DEMO_NOTE = "[démo]"
DEMO_BATCH = "démo : signaux des systèmes du réseau"
MULE_IBAN = make_french_iban(bank="12345", branch="00099", account="0000MULE001")
DEMO_CHECKS = [
    # order (synthetic NIR), kind, channel, outcome, open a case?
    (901, "identity", "counter", "compliant", False),
    (902, "bank_details", "phone", "anomaly", True),
    (903, "account_recovery", "online", "refused", False),
    (904, "address_change", "mail", "escalated", True),
    (905, "bank_details", "phone", "anomaly", False),
]


def _user(username: str):
    return get_user_model().objects.filter(username=username).first()


def _seed_checks(agent, manager) -> None:
    if Check.objects.filter(agent=agent, note__startswith=DEMO_NOTE).exists():
        return
    for order, kind, channel, outcome, open_case in DEMO_CHECKS:
        iban = MULE_IBAN if (kind == "bank_details" and outcome == "anomaly") else ""
        logged = check_log(actor=agent, nir=make_nir(order=order, place="56260"), kind=kind, channel=channel,
                           outcome=outcome, note=f"{DEMO_NOTE} Demande reçue, vérification faite.", iban=iban,
                           open_case=open_case)
        if logged.case is not None and kind == "bank_details":
            case_assign(case=logged.case, actor=manager, assignee=agent)
            case_change_status(case=logged.case, actor=agent, status=Case.Status.IN_PROGRESS)
            case_comment(case=logged.case, actor=agent,
                         body="Rappel de l'assuré au numéro connu : il n'a rien demandé.")
    closed = case_open(fund=Fund.objects.get(code="561"), person=person_from_nir(make_nir(order=906, place="56260")),
                       actor=agent, summary=f"{DEMO_NOTE} Appel suspect signalé par l'accueil")
    case_change_status(case=closed, actor=agent, status=Case.Status.CLOSED, closing_reason="attempt_blocked")


def _seed_mule_alert(other_agent) -> None:
    """A second fund sees the same IBAN on another person: the shared-account alert appears in both funds."""
    if other_agent is None or Check.objects.filter(agent=other_agent, note__startswith=DEMO_NOTE).exists():
        return
    check_log(actor=other_agent, nir=make_nir(order=907, place="29019"), kind="bank_details", channel="phone",
              outcome="anomaly", iban=MULE_IBAN, note=f"{DEMO_NOTE} RIB au nom d'un tiers.")


def seed_signals(stdout) -> None:
    """Signals on three people of the demo cohort in fund 561 (needs the breaches demo). Once only."""
    national = _user("national")
    if national is None or SignalBatch.objects.filter(file_name=DEMO_BATCH).exists():
        return
    fund = Fund.objects.get(code="561")
    # demo only: the clear NIRs are not needed, digests suffice
    people = list(AffectedPerson.objects.filter(fund=fund).order_by("id").values_list("nir_digest", "nir_masked")[:3])
    if not people:
        return
    today = timezone.localdate()
    kinds = ["bank_details", "account_recovery", "address_change"]
    signals = [Signal(digest=d, masked=m, kind=k, occurred_on=today - datetime.timedelta(days=2 + i), fund_id=fund.pk)
               for i, ((d, m), k) in enumerate(zip(people, kinds, strict=False))]
    result = signals_match(actor=national, signals=signals, source=SignalBatch.Source.FILE, file_name=DEMO_BATCH)
    stdout.write(f"  Signaux de démonstration : {result.matched} concordances, {result.cases_opened} dossiers")


def seed(stdout) -> None:
    agent, manager = _user("agent561"), _user("resp561")
    if agent is None or manager is None:
        return
    _seed_checks(agent, manager)
    _seed_mule_alert(_user("agent291"))
    seed_signals(stdout)
    stdout.write(f"Dossiers de démonstration (561) : {Case.objects.filter(fund__code='561').count()} dossiers, "
                 f"{Check.objects.filter(fund__code='561').count()} vérifications.")

