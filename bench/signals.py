"""Match N risk signals against an M-person register (PostgreSQL via DATABASE_URL, or SQLite).

    DATABASE_URL=postgres://... python bench/signals.py --signals 100000 --register 500000

Builds a synthetic register (COPY on PostgreSQL) and settles it as autovacuum would (see `settle`; `--unsettled`
for a register just imported), loads the signals through the same service as the API (`signals_ingest`:
validation, digests, the register's gate — one matching statement, IBAN sightings, one access-log row —,
deduplicated cases), times it, then removes everything it created. Last line: one JSON object.
"""

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from breaches.crypto import nir_digest  # noqa: E402
from breaches.models import AffectedPerson, Breach, Cohort  # noqa: E402
from breaches.nir import make_nir, mask_nir  # noqa: E402
from casework.cases.models import Case  # noqa: E402
from casework.iban import iban_digest, make_french_iban  # noqa: E402
from casework.risk.models import IbanSighting, SharedAccountAlert, SignalBatch  # noqa: E402
from casework.risk.services import signals_ingest  # noqa: E402
from network.models import Fund, Membership  # noqa: E402
from network.services import funds_load, membership_grant  # noqa: E402

KINDS = ["bank_details", "account_recovery", "address_change"]


def synthetic_nirs(count: int, *, offset: int = 0):
    """Distinct valid synthetic NIRs: order × month × year × sex (999 × 12 × 100 × 2 ≈ 2.4 million)."""
    for index in range(offset, offset + count):
        order, rest = index % 999 + 1, index // 999
        month, rest = rest % 12 + 1, rest // 12
        year, sex = rest % 100, rest // 100 % 2 + 1
        yield make_nir(sex=sex, year=year, month=month, place="56034", order=order)


def _row_values(overrides: dict, now) -> list:
    values = []
    for field in AffectedPerson._meta.concrete_fields:
        if field.primary_key:
            continue
        if field.attname in overrides:
            values.append(overrides[field.attname])
        elif getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            values.append(now)
        elif field.has_default():
            values.append(field.get_default())
        else:
            values.append(None if field.null else "")
    return values


def build_register(size: int, *, breach: Breach, cohort: Cohort, funds: list[int]) -> list[str]:
    """Insert `size` affected people (digests of synthetic NIRs); returns their NIRs."""
    nirs = list(synthetic_nirs(size))
    now = timezone.now()
    columns = [f.column for f in AffectedPerson._meta.concrete_fields if not f.primary_key]
    rows = (_row_values({"breach_id": breach.pk, "cohort_id": cohort.pk, "fund_id": funds[i % len(funds)],
                         "nir_digest": nir_digest(nir), "nir_sealed": "bench", "seal_key_id": "bench",
                         "nir_masked": mask_nir(nir)}, now) for i, nir in enumerate(nirs))
    if connection.vendor == "postgresql":
        table = AffectedPerson._meta.db_table
        with connection.cursor() as cursor, cursor.cursor.copy(
                f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
    else:
        names = [f.attname for f in AffectedPerson._meta.concrete_fields if not f.primary_key]
        AffectedPerson.objects.bulk_create((AffectedPerson(**dict(zip(names, r, strict=True))) for r in rows),
                                           batch_size=5000)
    return nirs


def make_signals(count: int, register: list[str], *, hit_rate: float, codes: list[str]) -> list[dict]:
    rng = random.Random(5)
    hits = min(int(count * hit_rate), len(register))
    outsiders = list(synthetic_nirs(count - hits, offset=len(register)))
    nirs = rng.sample(register, hits) + outsiders
    mules = [make_french_iban(account=f"{n:011d}") for n in range(1, 51)]
    today = timezone.localdate()
    signals = []
    for nir in nirs:
        kind = rng.choice(KINDS)
        row = {"nir": nir, "kind": kind, "occurred_on": (today - timezone.timedelta(days=rng.randint(0, 30)))
               .isoformat(), "fund": rng.choice(codes)}
        if kind == "bank_details" and rng.random() < 0.05:
            row["iban"] = rng.choice(mules)
        signals.append(row)
    rng.shuffle(signals)
    return signals


def time_phases() -> dict[str, float]:
    """Wrap the phases of the service with timers (printed on stderr, not part of the JSON): validation, the
    gate's matching of people and of accounts, the case inserts."""
    from breaches.lookup import gate
    from casework.risk import services

    phases: dict[str, float] = {}
    for module, name in ((services, "signals_validate"), (gate, "_people_flagged"),
                         (services, "insert_signal_cases"), (gate, "_accounts_matched")):
        original = getattr(module, name)

        def timed(*args, _original=original, _name=name, **kwargs):
            started = time.perf_counter()
            try:
                return _original(*args, **kwargs)
            finally:
                phases[_name] = phases.get(_name, 0.0) + time.perf_counter() - started

        setattr(module, name, timed)
    return phases


def bench_user():
    user, _ = get_user_model().objects.get_or_create(username="bench-signals")
    if not Membership.objects.filter(user=user, role=Membership.Role.NATIONAL).exists():
        membership_grant(user=user, role=Membership.Role.NATIONAL)
    return user


def cleanup(*, breach: Breach | None, batch_ids: list[int], mule_digests: list[str]) -> None:
    with transaction.atomic():
        cases = Case.objects.filter(signal_batch_id__in=batch_ids)
        Case.events.rel.related_model.objects.filter(case__in=cases)._raw_delete(connection.alias)
        Case.history.filter(signal_batch_id__in=batch_ids)._raw_delete(connection.alias)  # their history rows
        cases._raw_delete(connection.alias)
        SignalBatch.objects.filter(pk__in=batch_ids).delete()
        IbanSighting.objects.filter(iban_digest__in=mule_digests)._raw_delete(connection.alias)
        SharedAccountAlert.objects.filter(iban_digest__in=mule_digests).delete()
        if breach is not None:
            AffectedPerson.objects.filter(breach=breach)._raw_delete(connection.alias)
            breach.delete()


def settle(*, unsettled: bool) -> None:
    """The register as signals meet it: settled by default, as autovacuum leaves it a minute after an import
    (PostgreSQL vacuums a table after many inserts: its visibility map lets the digest index answer alone), the
    case tables without the dead rows of earlier runs. `--unsettled`: just imported, statistics only."""
    tables = [AffectedPerson] if unsettled else [AffectedPerson, Case, Case.history.model, IbanSighting]
    with connection.cursor() as cursor:
        for model in tables:
            cursor.execute(f"{'ANALYZE' if unsettled else 'VACUUM ANALYZE'} {model._meta.db_table}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--signals", type=int, default=100_000)
    parser.add_argument("--register", type=int, default=500_000)
    parser.add_argument("--hit-rate", type=float, default=0.2, help="share of signals about registered people")
    parser.add_argument("--unsettled", action="store_true",
                        help="a register just imported (before autovacuum's pass): statistics only")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    if not Fund.objects.exists():
        funds_load()
    fund_ids, codes = zip(*Fund.objects.values_list("id", "code"), strict=True)
    actor = bench_user()
    mule_digests = [iban_digest(make_french_iban(account=f"{n:011d}")) for n in range(1, 51)]
    breach, batch_ids = None, []
    try:
        started = time.perf_counter()
        with transaction.atomic():
            breach = Breach.objects.create(reference=f"BENCH{os.getpid() % 10**7}", title="Banc d'essai signaux",
                                           discovered_on=timezone.localdate())
            cohort = Cohort.objects.create(breach=breach, file_name="bench.csv", checksum="0" * 64,
                                           status=Cohort.Status.DONE)
            register = build_register(args.register, breach=breach, cohort=cohort, funds=list(fund_ids))
        if connection.vendor == "postgresql":
            settle(unsettled=args.unsettled)
        print(f"registre : {args.register} personnes en {time.perf_counter() - started:.1f} s", file=sys.stderr)
        signals = make_signals(args.signals, register, hit_rate=args.hit_rate, codes=list(codes))
        del register

        phases = time_phases()
        started = time.perf_counter()
        result = signals_ingest(actor=actor, rows=signals, file_name="bench")
        seconds = time.perf_counter() - started
        batch_ids.append(result.batch.pk)
        print(f"{result.received} signaux, {result.matched} concordances, {result.cases_opened} dossiers, "
              f"{result.alerts} alertes en {seconds:.2f} s ({connection.vendor})")
        print("phases : " + ", ".join(f"{k} {v:.2f} s" for k, v in phases.items()), file=sys.stderr)
    finally:
        cleanup(breach=breach, batch_ids=batch_ids, mule_digests=mule_digests)
    print(json.dumps({"signals": args.signals, "register": args.register, "matches": result.matched,
                      "seconds": round(seconds, 3), "matches_per_s": round(result.matched / seconds, 1)}))


if __name__ == "__main__":
    main()
