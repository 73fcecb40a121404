"""Building the permission matrix: every route of the URL configuration and of the API schema, its declared rule,
the outcome each role should get, and the outcome it got."""

import fnmatch
import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlparse

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from tests.security.route_expectations import (
    EXPECTATIONS,
    FUND_MANAGE,
    FUND_OR_REGION_READ,
    FUND_READ,
    FUND_WORK,
    HIDDEN,
    MANAGERS,
    MEMBERS,
    MEMBERS_OR_NATIONAL,
    NATIONAL,
    NOBODY,
    OK,
    OVERSEERS,
    PUBLIC,
    REFUSED,
    REGION_READ,
    SIGN_IN,
    SIGNED_IN,
    STAFF,
    Rule,
)

FUNDS_OF_ROLE = {"agent_a": "a", "manager_a": "a", "agent_b": "b"}
DEFAULT_PARAMS = {"app_label": "casework", "object_id": "1", "content_type_id": "1", "url": "auth"}


@dataclass(frozen=True)
class Route:
    key: str        # "namespace:name", or "namespace:[pattern]" for unnamed routes
    pattern: str    # the full pattern, prefixes included


def iter_routes(patterns=None, namespace: str = "", prefix: str = ""):
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from iter_routes(entry.url_patterns, inner, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            name = entry.name or f"[{entry.pattern}]"
            yield Route(f"{namespace}{name}", prefix + str(entry.pattern))


def all_routes() -> list[Route]:
    """Each route once (a name reused by several patterns is checked through its first pattern)."""
    seen: dict[str, Route] = {}
    for route in iter_routes():
        seen.setdefault(route.key, route)
    return list(seen.values())


def rule_for(key: str) -> Rule | None:
    if key in EXPECTATIONS:
        return EXPECTATIONS[key]
    prefixes = [k for k in EXPECTATIONS if k.endswith("*") and fnmatch.fnmatchcase(key, k)]
    return EXPECTATIONS[max(prefixes, key=len)] if prefixes else None


def undeclared(routes: list[Route]) -> list[str]:
    return sorted(route.key for route in routes if rule_for(route.key) is None)


def schema_operations() -> list[tuple[str, str, str]]:
    """(method, path, URL name) of every operation of the OpenAPI schema."""
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operations = []
    for path, methods in schema["paths"].items():
        concrete = re.sub(r"\{[^}]+\}", "1", path)
        match = resolve(concrete)
        for method in methods:
            operations.append((method.upper(), path, match.view_name))
    return operations


PARAM_MODELS = {"group_id": "auth.Group", "user_id": "auth.User"}


def _first_pk(label: str) -> str:
    pk = apps.get_model(label)._default_manager.values_list("pk", flat=True).first()
    return str(pk) if pk is not None else DEFAULT_PARAMS["object_id"]


def _admin_object_id(pattern: str) -> str:
    """For an admin object page, the id of an existing object of its model (so the page really renders)."""
    match = re.match(r"admin/(\w+)/(\w+)/\^?(?:<(?:\w+:)?|\(\?P<)(?:object_id|object_pk|pk|id)>", pattern)
    if not match:
        return DEFAULT_PARAMS["object_id"]
    try:
        model = apps.get_model(match.group(1), match.group(2))
    except LookupError:
        return DEFAULT_PARAMS["object_id"]
    pk = model._default_manager.values_list("pk", flat=True).first()
    return str(pk) if pk is not None else DEFAULT_PARAMS["object_id"]


def url_for(route: Route, rule: Rule, fund) -> str:
    """The URL to request: reversed with the rule's kwargs, else the pattern filled with harmless values."""
    if rule.kwargs is not None:
        return reverse(route.key, kwargs=rule.kwargs(fund))
    object_id = _admin_object_id(route.pattern)
    params = {**DEFAULT_PARAMS, "object_id": object_id, "object_pk": object_id, "pk": object_id, "id": object_id}
    params |= {name: _first_pk(label) for name, label in PARAM_MODELS.items() if f"<{name}>" in route.pattern
               or f":{name}>" in route.pattern}
    path = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: params.get(m.group(1), "1"), route.pattern)
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: params.get(m.group(1), "1"), path)
    return "/" + path.replace("^", "").replace("$", "")


def expected(rule: Rule, role: str, fund_key: str | None, method: str = "GET") -> str:
    """The outcome `role` should get on `rule` for an object of fund `fund_key` ("a", "b" or None)."""
    who = rule.write if rule.write and method != "GET" else rule.who
    if who == PUBLIC:
        return rule.allowed
    if who == NOBODY:
        return HIDDEN
    if role == "anonymous":
        return rule.anonymous or {"page": SIGN_IN, "admin": SIGN_IN, "api": REFUSED}[rule.kind]
    if who == STAFF:
        return rule.allowed if role == "admin" else SIGN_IN
    allowed = {
        SIGNED_IN: True,
        NATIONAL: role in {"national", "admin"},
        FUND_READ: role in {"national", "admin"} or FUNDS_OF_ROLE.get(role) == fund_key,
        FUND_WORK: FUNDS_OF_ROLE.get(role) == fund_key,
        FUND_MANAGE: role == "manager_a" and fund_key == "a",
        MEMBERS: role in FUNDS_OF_ROLE,
        MANAGERS: role == "manager_a",
        MEMBERS_OR_NATIONAL: role in {"national", "admin"} or role in FUNDS_OF_ROLE,
        OVERSEERS: role in {"national", "admin", "regional", "regional_other"},
        # Funds A and B are both in Bretagne: its coordination reads both, Île-de-France's neither.
        REGION_READ: role in {"national", "admin", "regional"},
        FUND_OR_REGION_READ: role in {"national", "admin", "regional"} or FUNDS_OF_ROLE.get(role) == fund_key,
    }[who]
    return rule.allowed if allowed else HIDDEN


def outcome(response) -> str:
    status = response.status_code
    if status in (301, 302, 303):
        location = urlparse(response["Location"])
        to_sign_in = location.path in {reverse("login"), reverse("admin:login")}
        if to_sign_in and "next" in parse_qs(location.query):
            return SIGN_IN
        return OK
    if status == 404:
        return HIDDEN
    if status in (401, 403):
        return REFUSED
    if status < 300 or status in (400, 409):  # 400/409: past the gate, refused on content or state
        return OK
    return f"statut {status}"
