"""Production settings pass `check --deploy`, and real responses carry the security headers."""

import json
import os
import re
import secrets
import subprocess
import sys

import pytest
from django.urls import reverse

from config.settings.base import BASE_DIR

SCRIPT = r"""
import json, django
django.setup()
from django.test.utils import override_settings
# static files are served from the collected manifest in production; this check runs without collectstatic
override_settings(STORAGES={"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.contrib.auth import get_user_model
from django.test import Client
get_user_model().objects.create_user("agent", password="Mot-de-passe-de-test-2026")
client = Client(HTTP_HOST="vigie.test", HTTP_X_FORWARDED_PROTO="https")
page = client.get("/connexion/")
signed_in = client.post("/connexion/", {"username": "agent", "password": "Mot-de-passe-de-test-2026",
                                        "csrfmiddlewaretoken": page.cookies["csrftoken"].value})
plain = Client(HTTP_HOST="vigie.test").get("/connexion/")
cookies = {name: {"secure": bool(c["secure"]), "httponly": bool(c["httponly"]), "samesite": c["samesite"]}
           for name, c in {**page.cookies, **signed_in.cookies}.items()}
print(json.dumps({"headers": dict(page.headers), "status": page.status_code, "signed_in": signed_in.status_code,
                  "cookies": cookies, "plain": [plain.status_code, plain.headers.get("Location")]}))
"""


def production_env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production", DATABASE_URL="sqlite:///:memory:",
        SECRET_KEY=secrets.token_urlsafe(50), NIR_DIGEST_KEY=secrets.token_urlsafe(40),
        NIR_SEAL_KEY=secrets.token_urlsafe(40), ALLOWED_HOSTS="vigie.test",
        REDIS_URL="redis://127.0.0.1:1/0",  # required in production; never reached: these pages queue no task
    )
    return env


def test_check_deploy_reports_nothing():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR, env=production_env(), capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


@pytest.fixture(scope="module")
def production_responses():
    result = subprocess.run([sys.executable, "-c", SCRIPT], cwd=BASE_DIR, env=production_env(),
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_sends_hsts_frame_denial_referrer_policy(production_responses):
    headers = production_responses["headers"]
    assert production_responses["status"] == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"


def test_production_cookies_are_secure(production_responses):
    assert production_responses["signed_in"] == 302
    cookies = production_responses["cookies"]
    assert cookies["sessionid"] == {"secure": True, "httponly": True, "samesite": "Lax"}
    assert cookies["csrftoken"]["secure"] and cookies["csrftoken"]["httponly"]


def test_production_redirects_plain_http_to_https(production_responses):
    status, location = production_responses["plain"]
    assert status == 301 and location == "https://vigie.test/connexion/"


def test_csp_forbids_inline_script_and_framing(production_responses):
    csp = production_responses["headers"]["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";"))
    assert directives["script-src"].startswith("'self' 'nonce-")
    assert "unsafe-inline" not in directives["script-src"] and "unsafe-eval" not in directives["script-src"]
    assert directives["frame-ancestors"] == "'none'" and directives["object-src"] == "'none'"
    assert directives["default-src"] == "'self'"


SCRIPT_TAG = re.compile(rb"<script\b([^>]*)>(.*?)</script>", re.S)


@pytest.mark.parametrize("url_name", ["login", "home", "fund-list", "account-security", "history-list", "api-docs"])
def test_pages_carry_no_inline_script(client, client_as, national, url_name):
    response = (client if url_name == "login" else client_as(national)).get(reverse(url_name))
    assert response.status_code == 200
    nonce = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
    for attributes, body in SCRIPT_TAG.findall(response.content):
        executable = b"application/json" not in attributes
        assert not (executable and body.strip()), f"inline script on {url_name}: {body[:80]!r}"
        assert b"src=" in attributes or not executable
        if b'type="module"' in attributes:  # DSFR's script carries the response's nonce
            assert nonce and f'nonce="{nonce.group(1)}"'.encode() in attributes
    assert b"<style" not in response.content and b" onclick=" not in response.content


def test_api_errors_outside_the_views_are_json(client_as, agent_a, client):
    response = client_as(agent_a).get("/api/v1/funds/0.5/")
    assert response.status_code == 404 and response.json() == {"detail": "Non trouvé."}
    page = client.get("/page-inexistante/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")
