"""deploy/replica-drill's checks, on a primary (DATABASE_URL) and its streaming standby (DATABASE_REPLICA_URL):
writes on the primary, the replication lag until the standby has them, then the national dashboard and the
access-log export served with their reads on the standby. Last line: one JSON object; exit 1 on a failed check."""

import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.local")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from django_otp.plugins.otp_static.models import StaticDevice  # noqa: E402

from breaches.services import breach_create  # noqa: E402


def lsn(alias: str, expression: str) -> int:
    with connections[alias].cursor() as cursor:
        cursor.execute(f"SELECT {expression} - '0/0'::pg_lsn")
        return int(cursor.fetchone()[0])


def lag_after_writes(rows: int) -> dict:
    """Writes `rows` breaches on the primary, then waits for the standby to replay them."""
    for n in range(rows):
        breach_create(actor=None, title=f"Exercice de réplique {n}", discovered_on="2026-01-03")
    written, started = lsn("default", "pg_current_wal_lsn()"), time.monotonic()
    behind = written - lsn("replica", "pg_last_wal_replay_lsn()")
    while lsn("replica", "pg_last_wal_replay_lsn()") < written:
        if time.monotonic() - started > 60:
            raise SystemExit("the standby did not catch up within 60 s")
        time.sleep(0.01)
    return {"lag_bytes_after_writes": behind, "catch_up_s": round(time.monotonic() - started, 3)}


def signed_in_national() -> Client:
    user = get_user_model().objects.get(username="national")
    client = Client()
    client.force_login(user)
    device, _ = StaticDevice.objects.get_or_create(user=user, name="exercice-replique", defaults={"confirmed": True})
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def served_from_replica(client: Client, url: str) -> dict:
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
    return {"status": response.status_code, "bytes": len(body), "queries_on_replica": len(on_replica)}


def main() -> int:
    if "replica" not in settings.DATABASES:
        sys.exit("DATABASE_REPLICA_URL must name the standby")
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        standby = cursor.fetchone()[0]
    result = {"standby_in_recovery": standby, **lag_after_writes(20)}
    client = signed_in_national()
    result["national_view"] = served_from_replica(client, reverse("dashboard-national"))
    result["access_log_report"] = served_from_replica(client, reverse("access-log-export"))
    with connections["replica"].cursor() as cursor:
        cursor.execute("SELECT COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)")
        result["replay_delay_s"] = round(float(cursor.fetchone()[0]), 3)
    ok = standby and all(result[k]["status"] == 200 and result[k]["queries_on_replica"] > 0
                         for k in ("national_view", "access_log_report"))
    print(json.dumps({**result, "ok": bool(ok)}))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
