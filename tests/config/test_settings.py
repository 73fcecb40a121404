import os
import subprocess
import sys

from django.conf import settings

from config.settings.base import BASE_DIR

SECRET = "x" * 40
REAL_KEYS = {"SECRET_KEY": SECRET, "NIR_DIGEST_KEY": "d" * 40, "NIR_SEAL_KEY": "s" * 40}
BROKER = "redis://127.0.0.1:1/0"  # never reached: starting queues no task


def _start_production(**overrides) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "NIR_DIGEST_KEY", "NIR_SEAL_KEY"}}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.production", "DATABASE_URL": "sqlite:///:memory:",
                "REDIS_URL": BROKER, **overrides})
    code = "import django; django.setup(); print('started')"
    return subprocess.run([sys.executable, "-c", code], cwd=BASE_DIR, env=env, capture_output=True, text=True)


def test_production_refuses_to_start_with_default_keys():
    result = _start_production()
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_refuses_default_nir_keys():
    result = _start_production(SECRET_KEY=SECRET)
    assert result.returncode != 0 and "NIR_DIGEST_KEY" in result.stderr


def test_production_starts_with_real_keys():
    result = _start_production(**REAL_KEYS)
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_production_refuses_to_start_without_a_broker():
    result = _start_production(**REAL_KEYS, REDIS_URL="")
    assert result.returncode != 0 and "REDIS_URL must be set" in result.stderr


def test_french_is_the_default_language():
    assert settings.LANGUAGE_CODE == "fr" and settings.TIME_ZONE == "Europe/Paris"
