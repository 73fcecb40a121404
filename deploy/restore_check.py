"""Checks of deploy/restore-drill on a restored database: the same row counts as the source, the private files, and
lookups that still find flagged people with the keys of the environment (NIR_DIGEST_KEY, NIR_SEAL_KEY…).

    DATABASE_URL=<restored> python deploy/restore_check.py --source <source URL> --private <extracted dir>

Last line: {"tables": {table: [source, restored]}, "people_checked", "found", "private_files", "ok"}.
"""

import argparse
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")
os.environ.setdefault("DEBUG", "false")

import django  # noqa: E402

django.setup()

import psycopg  # noqa: E402
from django.apps import apps  # noqa: E402

from breaches.crypto import unseal_nir  # noqa: E402
from breaches.lookup.access import caller_of  # noqa: E402
from breaches.lookup.service import person_lookup  # noqa: E402
from breaches.lookup.throttle import window_start  # noqa: E402
from breaches.models import AffectedPerson  # noqa: E402
from network.services import membership_grant, user_provision  # noqa: E402

COUNTED = ["breaches.Breach", "breaches.Cohort", "breaches.AffectedPerson", "breaches.AccessLog",
           "notifications.Instruction", "notifications.Delivery", "notifications.Notice", "network.Fund",
           "network.Membership", "auth.User"]


def counts(url: str) -> dict[str, int]:
    tables = [apps.get_model(label)._meta.db_table for label in COUNTED]
    with psycopg.connect(url) as source:
        return {table: source.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in tables}


def lookups_find(sample: int) -> tuple[int, int]:
    """Opens a sample of people with the environment's seal key and looks each up as a drill user."""
    people = list(AffectedPerson.objects.order_by("?").values_list("nir_sealed", "seal_key_id")[:sample])
    user, _ = user_provision(username="restore-drill", password=os.urandom(16).hex() + "Aa1!")
    membership_grant(user=user, role="national")
    found = 0
    for sealed, key_id in people:
        answer = person_lookup(caller=caller_of(user, since=window_start()), nir=unseal_nir(sealed, key_id),
                               purpose="Exercice de restauration")
        found += answer.flagged
    return len(people), found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", required=True, help="URL of the database the backup was taken from")
    parser.add_argument("--private", required=True, type=Path, help="the private files, extracted")
    parser.add_argument("--sample", type=int, default=50)
    args = parser.parse_args()
    source, restored = counts(args.source), counts(os.environ["DATABASE_URL"])
    checked, found = lookups_find(args.sample)
    files = sum(1 for path in args.private.rglob("*") if path.is_file())
    same = all(source[t] == restored[t] for t in source)
    ok = same and found == checked
    print(json.dumps({"tables": {t: [source[t], restored[t]] for t in source}, "people_checked": checked,
                      "found": found, "private_files": files, "ok": ok}))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
