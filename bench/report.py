"""The weekly report at scale: a breach with a large cohort, N funds and W weeks of checks, then the report built
and rendered to PDF in a child process (its peak RSS is the figure).

    DATABASE_URL=postgres://... python bench/report.py --funds 107 --weeks 12 --people 500000

The child counts the SQL queries of building the report (they must not grow with the number of funds: compare
--funds 3 and --funds 107). Last line: {"pages", "seconds", "queries", "peak_rss_mb", "funds", "people", "weeks"}.
The machine is shared: timings are indicative only.
"""

import argparse
import datetime
import json
import os
import resource
import subprocess
import sys
import time

os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")

from _setup import ROOT, prepare_database  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from breaches.models import AffectedPerson, Breach, Cohort  # noqa: E402
from casework.models import Check  # noqa: E402
from network.models import Fund  # noqa: E402


def _national():
    from network.models import Membership
    from network.services import membership_grant
    from tests.factories import UserFactory

    user = UserFactory(username="bench-report")
    if not Membership.objects.filter(user=user).exists():
        membership_grant(user=user, role=Membership.Role.NATIONAL)
    return user


def _copy(model, columns: list[str], rows) -> None:
    with connection.cursor() as cursor, cursor.cursor.copy(
            f"COPY {model._meta.db_table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def build(*, funds: list[Fund], people: int, weeks: int, actor) -> Breach:
    """The breach, its cohort (raw COPY), W weeks of checks, and an issued instruction to the funds."""
    from breaches.services import breach_create
    from notifications.services import TargetSpec, instruction_create, instruction_issue

    start = timezone.localdate() - datetime.timedelta(weeks=weeks)
    breach = breach_create(actor=actor, title="Banc du rapport hebdomadaire", discovered_on=start,
                           departments="56")
    cohort = Cohort.objects.create(breach=breach, file_name="bench.csv", checksum=f"{breach.pk:064x}",
                                   status="done", rows=people, imported=people)
    now = timezone.now()
    departments = {f.id: f.department_codes[0] for f in funds}
    _copy(AffectedPerson, ["breach_id", "cohort_id", "fund_id", "nir_digest", "nir_sealed", "seal_key_id",
                           "nir_masked", "last_name", "first_name", "postcode", "department", "source",
                           "created_at", "updated_at"],
          ((breach.pk, cohort.pk, funds[i % len(funds)].id, f"{breach.pk:08x}{i:056x}", "bench", "bench",
            "1 ** ** ** *** *** **", "", "", "", departments[funds[i % len(funds)].id], "", now, now)
           for i in range(people)))
    checks = 40 * weeks * len(funds)
    _copy(Check, ["fund_id", "agent_id", "person_digest", "nir_masked", "person_flagged", "kind", "channel",
                  "outcome", "note", "iban_digest", "created_at", "updated_at"],
          ((funds[i % len(funds)].id, actor.pk, f"{i:064x}", "1 ** ** ** *** *** **", False, "identity", "phone",
            "anomaly" if i % 7 == 0 else "compliant", "", "",
            now - datetime.timedelta(hours=i % (weeks * 7 * 24)), now) for i in range(checks)))
    instruction = instruction_create(actor=actor, title="Vigilance", body="Texte", breach=breach,
                                     targets=TargetSpec(targeting="funds", funds=[f.code for f in funds]),
                                     reply_by=timezone.localdate() - datetime.timedelta(days=1))
    instruction_issue(instruction=instruction, actor=actor)
    return breach


def measure(reference: str) -> None:
    """Child process: build and render the report, print its figures."""
    from reporting.pdf import report_pdf
    from reporting.weekly import Week, report_build

    breach = Breach.objects.get(reference=reference)
    started = time.perf_counter()
    with CaptureQueriesContext(connection) as queries:
        report = report_build(breach=breach, week=Week.of(timezone.localdate()))
    built = time.perf_counter() - started
    pdf, pages = report_pdf(report)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"pages": pages, "seconds": round(seconds, 2), "build_s": round(built, 2), "queries": len(queries),
                      "peak_rss_mb": round(peak, 1), "pdf_kb": len(pdf) // 1024}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--funds", type=int, default=107)
    parser.add_argument("--weeks", type=int, default=12)
    parser.add_argument("--people", type=int, default=500_000)
    parser.add_argument("--measure", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        return measure(args.measure)
    if connection.vendor != "postgresql":
        sys.exit("bench/report.py needs PostgreSQL: set DATABASE_URL")
    prepare_database()
    funds = list(Fund.objects.prefetch_related("departments").order_by("code")[:args.funds])
    breach = build(funds=funds, people=args.people, weeks=args.weeks, actor=_national())
    try:
        child = subprocess.run([sys.executable, __file__, "--measure", breach.reference], cwd=ROOT / "bench",
                               capture_output=True, text=True, check=True)
        result = json.loads(child.stdout.strip().splitlines()[-1])
    finally:
        Check.objects.filter(agent__username="bench-report").delete()
        breach.instructions.all().delete()
        breach.delete()
    print(json.dumps({**result, "funds": len(funds), "people": args.people, "weeks": args.weeks}))


if __name__ == "__main__":
    main()
