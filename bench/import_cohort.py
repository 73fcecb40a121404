"""Cohort import at scale on PostgreSQL: the command's code path vs a raw COPY of the same rows.

    DATABASE_URL=postgres://... python bench/import_cohort.py --rows 500000

Generates a synthetic file of valid NIRs, runs `manage.py import_cohort --json` in a child process (its peak RSS
is the figure), then times a raw COPY of the very rows it stored into an equivalent table (same columns and
indexes). Last line: {"rows", "import_s", "copy_s", "ratio", "peak_rss_mb"}.
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _setup import ROOT, prepare_database, raw_copy_seconds, write_cohort_file
from django.db import connection  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=500_000)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        sys.exit("bench/import_cohort.py needs PostgreSQL: set DATABASE_URL")
    prepare_database()
    from breaches.models import Breach
    from breaches.services import breach_create

    # Start from the same state as the raw COPY's fresh table: earlier runs' rows are removed and vacuumed.
    Breach.objects.filter(title__startswith="Banc d'essai import").delete()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE breaches_affectedperson")

    breach = breach_create(actor=None, title=f"Banc d'essai import {args.rows}", discovered_on="2026-01-01")
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        source = workdir / "cohorte.csv"
        write_cohort_file(source, args.rows)
        print(f"fichier : {source.stat().st_size / 1e6:.1f} Mo, {args.rows} lignes", file=sys.stderr)
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "manage.py", "import_cohort", "--breach", breach.reference, str(source), "--json"],
            cwd=ROOT, env=dict(os.environ), capture_output=True, text=True, check=False)
        import_s = time.perf_counter() - started
        if done.returncode:
            sys.exit(done.stderr[-2000:])
        result = json.loads(done.stdout.strip().splitlines()[-1])
        peak_rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        print(f"import : {result}", file=sys.stderr)
        copy_s = raw_copy_seconds(result["cohort"], workdir)
    print(json.dumps({"rows": args.rows, "import_s": round(import_s, 2), "copy_s": round(copy_s, 2),
                      "ratio": round(import_s / copy_s, 2), "peak_rss_mb": round(peak_rss_mb, 1)}))


if __name__ == "__main__":
    main()
