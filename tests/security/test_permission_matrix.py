"""The permission matrix: every route × every role × objects of fund A and fund B -> the declared outcome.

Generated from the URL configuration and the OpenAPI schema, so a new page or endpoint is covered without anyone
remembering it: an undeclared route fails. Declarations: tests/security/route_expectations.py.
"""

import sys
import types

import pytest
from django.contrib.auth.models import Group
from django.http import HttpResponse
from django.test import Client
from django.urls import path
from django_otp.plugins.otp_totp.models import TOTPDevice

import config.urls
from network.models import Membership
from network.services import membership_grant
from tests.factories import UserFactory
from tests.security import matrix, objects
from tests.security.route_expectations import EXPECTATIONS, ROLES


@pytest.fixture(autouse=True)
def fresh_objects(settings, tmp_path):
    settings.PRIVATE_ROOT = tmp_path / "private"
    objects.reset()
    yield
    objects.reset()


@pytest.fixture
def users(agent_a, manager_a, agent_b, national, admin_user):
    # objects for the admin's object pages
    TOTPDevice.objects.create(user=admin_user, name="app", confirmed=True)
    Group.objects.create(name="Lecteurs")
    coordinations = {}
    for role, region in (("regional", "53"), ("regional_other", "11")):
        coordinations[role] = UserFactory(username=role)
        membership_grant(user=coordinations[role], role=Membership.Role.REGIONAL, region=region)
    return {"anonymous": None, "agent_a": agent_a, "manager_a": manager_a, "agent_b": agent_b,
            "national": national, "admin": admin_user, **coordinations}


def request_as(user, method: str, url: str, data: dict):
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user)
    call = getattr(client, method.lower())
    if method == "GET":
        return call(url, data)
    return call(url, data, content_type="application/json") if url.startswith("/api/") else call(url, data)


def undeclared_message(keys: list[str]) -> str:
    return (f"{len(keys)} route(s) sans attente déclarée dans tests/security/route_expectations.py : "
            + ", ".join(keys) + ". Ajoutez une ligne par route (qui peut y accéder, objets de chaque caisse).")


def test_every_route_and_api_operation_is_declared(db):  # the schema may read choices
    keys = matrix.undeclared(matrix.all_routes())
    assert not keys, undeclared_message(keys)
    missing = [f"{method} {path} ({name})" for method, path, name in matrix.schema_operations()
               if matrix.rule_for(name) is None or method not in matrix.rule_for(name).methods]
    assert not missing, "opérations du schéma OpenAPI non déclarées (méthode absente) : " + ", ".join(missing)


def test_every_declaration_names_an_existing_route():
    keys = {route.key for route in matrix.all_routes()}
    stale = [k for k in EXPECTATIONS if not k.endswith("*") and k not in keys]
    assert not stale, f"déclarations sans route : {stale}"


def extra_view(request):
    return HttpResponse("nouvelle page")


def test_an_undeclared_route_is_reported(settings):
    module = types.ModuleType("tests.security._extra_urls")
    module.urlpatterns = [*config.urls.urlpatterns, path("nouvelle-page/", extra_view, name="nouvelle-page")]
    sys.modules[module.__name__] = module
    settings.ROOT_URLCONF = module.__name__
    try:
        assert matrix.undeclared(matrix.all_routes()) == ["nouvelle-page"]
        assert "nouvelle-page" in undeclared_message(["nouvelle-page"])
    finally:
        del sys.modules[module.__name__]


def test_permission_matrix(users, fund_a, fund_b, capsys):
    routes = matrix.all_routes()
    keys = matrix.undeclared(routes)
    assert not keys, undeclared_message(keys)
    funds = {"a": fund_a, "b": fund_b}
    failures, unchecked, checks = [], [], 0
    for route in routes:
        rule = matrix.rule_for(route.key)
        for fund_key in (("a", "b") if rule.kwargs else (None,)):
            url = matrix.url_for(route, rule, funds.get(fund_key))
            for method in rule.methods:
                data = rule.data(funds.get(fund_key)) if rule.data else {}
                for role in ROLES:
                    checks += 1
                    want = matrix.expected(rule, role, fund_key, method)
                    got = matrix.outcome(request_as(users[role], method, url, data))
                    if got.startswith("statut 5"):
                        failures.append(f"{method} {url} [{route.key}] en {role} : erreur serveur ({got})")
                    elif got not in (want if isinstance(want, tuple) else (want,)):
                        line = f"{method} {url} [{route.key}] en {role} : attendu {want}, obtenu {got}"
                        (unchecked if rule.unchecked else failures).append(line)
    with capsys.disabled():
        print(f"\nMatrice des permissions : {len(routes)} routes × {len(ROLES)} rôles "
              f"({checks} requêtes avec les objets des caisses A et B et chaque méthode déclarée)")
        if unchecked:
            print(f"{len(unchecked)} écart(s) non vérifiés (routes marquées `unchecked`) :\n  "
                  + "\n  ".join(unchecked))
    assert not failures, f"{len(failures)} écart(s) :\n" + "\n".join(failures)
