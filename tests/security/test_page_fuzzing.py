"""Page fuzzing: every page of the URL configuration, signed in as each role that may open it, gets hostile query
strings (GET) and hostile form posts (the methods its permission rule declares); any server error fails.

The API is fuzzed against its schema (test_api_fuzzing.py); the Django admin is Django's. The hostile values are a
fixed list (deterministic, no hypothesis run to wait for); the parameter names are every field name of every
project form plus the query names the views read directly, so each view meets the names it reads.
"""

import pytest
from django import forms
from django.contrib.auth.models import Group
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.security import matrix, objects
from tests.support.discovery import import_project_modules, project_subclasses

HOSTILE = [
    "\x00", "A" * 10_000, "-1", "99999999999999999999999", "1e309", "abc", "é☃\U0001f4a9\u202e", "\uffff",
    "' OR 1=1 --", "<script>alert(1)</script>", "2026-13-45", "[]", " ", "",
]
QUERY_NAMES = {"q", "page", "statut", "status", "tri", "sort", "order", "next", "format", "fmt", "step", "id",
               "pk", "person", "case", "fund", "code", "department", "action", "assignee"}
ROLES = ("agent_a", "manager_a", "national", "admin")
SKIPPED = {"logout"}  # signing out is not an input to fuzz


@pytest.fixture(autouse=True)
def fresh_objects(settings, tmp_path):
    settings.PRIVATE_ROOT = tmp_path / "private"
    objects.reset()
    yield
    objects.reset()


@pytest.fixture
def users(agent_a, manager_a, agent_b, national, admin_user):
    TOTPDevice.objects.create(user=admin_user, name="app", confirmed=True)
    Group.objects.create(name="Lecteurs")
    return {"agent_a": agent_a, "manager_a": manager_a, "national": national, "admin": admin_user}


def _parameter_names() -> list[str]:
    import_project_modules()
    names = set(QUERY_NAMES)
    for form_class in project_subclasses(forms.BaseForm):
        names |= set(form_class.base_fields)
    return sorted(names)


def _pages(fund_a) -> list[tuple[str, str, tuple[str, ...], list[str]]]:
    """(route key, URL with fund A's objects, methods, roles allowed) of every page route."""
    pages = []
    for route in matrix.all_routes():
        rule = matrix.rule_for(route.key)
        if rule is None or rule.kind != "page" or route.key in SKIPPED:
            continue
        fund_key = "a" if rule.kwargs else None
        roles = [role for role in ROLES if matrix.expected(rule, role, fund_key, "GET") == matrix.OK
                 or (rule.write and matrix.expected(rule, role, fund_key, "POST") == matrix.OK)]
        if roles:
            pages.append((route.key, matrix.url_for(route, rule, fund_a), rule.methods, roles))
    return pages


def _fuzz(client: Client, method: str, url: str, names: list[str]) -> list[str]:
    errors = []
    for value in HOSTILE:
        data = dict.fromkeys(names, value)
        response = client.get(url, data) if method == "GET" else client.post(url, data)
        if response.status_code >= 500:
            errors.append(f"{method} {url} avec {value[:20]!r} : {response.status_code}")
    return errors


@pytest.mark.django_db
def test_no_page_answers_500_to_hostile_query_strings_and_posts(users, fund_a, fund_b, capsys):
    names = _parameter_names()
    failures, requests = [], 0
    for key, url, methods, roles in _pages(fund_a):
        for role in roles[:2]:  # the first two roles that may open it: enough to reach each branch of the view
            client = Client(raise_request_exception=False)
            client.force_login(users[role])
            for method in methods:
                found = _fuzz(client, method, url, names)
                requests += len(HOSTILE)
                failures += [f"[{key}] en {role} : {line}" for line in found]
    with capsys.disabled():
        print(f"\nFuzzing des pages : {requests} requêtes, {len(names)} noms de paramètres")
    assert not failures, f"{len(failures)} erreur(s) serveur :\n" + "\n".join(failures)
