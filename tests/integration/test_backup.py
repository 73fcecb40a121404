"""deploy/backup then deploy/restore-drill: a fresh database with the same counts, whose lookups still find the
flagged people with the keys of the environment — and not with other keys."""

import json
import os
import subprocess

import pytest
from django.conf import settings

from breaches.nir import make_nir
from tests.breaches.factories import BreachFactory, person
from tests.support.celery_worker import ROOT, database_url

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]


def drill(extra_env: dict, backup_dir) -> subprocess.CompletedProcess:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.local", "DATABASE_URL": database_url(),
           "NIR_DIGEST_KEY": settings.NIR_DIGEST_KEY, "NIR_SEAL_KEY": settings.NIR_SEAL_KEY,
           "PRIVATE_ROOT": str(backup_dir / "private-source"), **extra_env}
    return subprocess.run(["deploy/restore-drill"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
                          check=False)


def test_restore_drill_finds_every_flagged_person_with_the_environment_keys(postgres_only, fund_a, tmp_path):
    breach = BreachFactory()
    for n in range(12):
        person(breach=breach, nir=make_nir(sex=1 + n % 2, year=70 + n, order=n + 1), fund=fund_a)
    (tmp_path / "private-source" / "imports").mkdir(parents=True)
    (tmp_path / "private-source" / "imports" / "rapport.csv").write_text("ligne;motif\n")
    done = drill({}, tmp_path)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["ok"] and result["people_checked"] == result["found"] == 12
    assert result["tables"]["breaches_affectedperson"] == [12, 12]
    assert result["private_files"] == 1
    # The backup alone is not enough: with other keys, nobody is found (the keys are kept apart from backups).
    other = drill({"NIR_DIGEST_KEY": "une-autre-cle-d-empreinte-0123456789abcdef"}, tmp_path)
    assert other.returncode == 1 and json.loads(other.stdout.strip().splitlines()[-1])["found"] == 0
