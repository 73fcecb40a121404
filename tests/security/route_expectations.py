"""Who may reach each route: ONE line per route, keyed by URL name ("namespace:name").

A route of the URL configuration or the API schema that is not declared here fails the permission matrix.
To declare a new route, add a line:

    "breach-detail": page(NATIONAL, kwargs=lambda fund: {"pk": objects.breach().pk}),
    "api:case-detail": api(FUND_WORK, kwargs=lambda fund: {"pk": objects.case(fund).pk}, methods=("GET", "PATCH")),

`who` is one of the access rules below. `kwargs(fund)` builds the URL for an object belonging to `fund`
(fund A, then fund B); leave it out for routes without objects. The matrix then expects, for each role:
allowed -> 2xx/3xx (or 400 for a POST with an empty body), another fund's object or a role without the right
-> 404, anonymous -> redirect to sign-in (pages) or 401/403 (API).
Unnamed routes are keyed "namespace:[pattern]". Keys ending in "*" cover every route they prefix; an exact key
wins over a prefix.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

ROLES = ("anonymous", "agent_a", "manager_a", "agent_b", "national", "admin")

# Access rules
PUBLIC = "public"            # anyone, signed in or not
SIGNED_IN = "signed_in"      # any signed-in user
NATIONAL = "national"        # national staff and superusers; others 404
STAFF = "staff"              # Django admin: staff only; others are sent to the admin sign-in
FUND_READ = "fund_read"      # members of the object's fund, national staff, superusers
FUND_WORK = "fund_work"      # members (agent or manager) of the object's fund only
FUND_MANAGE = "fund_manage"  # the manager of the object's fund only
NOBODY = "nobody"            # 404 for everyone (a feature switched off in tests)


# Outcomes
OK, SIGN_IN, HIDDEN, REFUSED = "autorisé", "renvoi vers la connexion", "404", "401/403"


@dataclass(frozen=True)
class Rule:
    who: str
    kind: str = "page"  # page | api | admin: what anonymous users get
    kwargs: Callable | None = None
    methods: tuple[str, ...] = ("GET",)
    data: Callable | None = None  # body (POST...) or query (GET): data(fund) -> dict; empty by default
    allowed: str = OK  # what the allowed roles get (e.g. REFUSED for an admin page that is read-only for all)
    note: str = field(default="", compare=False)


def page(who, **options) -> Rule:
    return Rule(who, "page", **options)


def api(who, **options) -> Rule:
    return Rule(who, "api", **options)


def admin(who=STAFF, **options) -> Rule:
    return Rule(who, "admin", **options)


def fund_code(fund) -> dict:
    return {"code": fund.code}


EXPECTATIONS: dict[str, Rule] = {
    # foundation: network
    "home": page(SIGNED_IN),
    "fund-list": page(NATIONAL),
    "fund-detail": page(FUND_READ, kwargs=fund_code),
    "api:fund-list": api(SIGNED_IN),
    "api:fund-detail": api(FUND_READ, kwargs=fund_code),
    "api-schema": api(SIGNED_IN),
    "api-docs": api(SIGNED_IN),
    "healthz": page(PUBLIC),
    # sign-in and account security
    "login": page(PUBLIC),
    "logout": page(PUBLIC, methods=("POST",)),
    "password_change": page(SIGNED_IN),
    "password_change_done": page(SIGNED_IN),
    "account-security": page(SIGNED_IN),
    "mfa-verify": page(SIGNED_IN),
    "mfa-setup": page(SIGNED_IN),
    "mfa-disable": page(SIGNED_IN, methods=("POST",)),
    "mfa-recovery-codes": page(SIGNED_IN, methods=("POST",)),
    "oidc_authentication_init": page(NOBODY, note="single sign-on is off unless OIDC_ENABLED"),
    "oidc_authentication_callback": page(NOBODY, note="single sign-on is off unless OIDC_ENABLED"),
    # audit
    "history-list": page(NATIONAL),
    "history-export": page(NATIONAL),
    # Django admin: staff only, whatever the page
    "admin:*": admin(STAFF),
    "admin:login": admin(PUBLIC),
    "admin:logout": admin(PUBLIC, methods=("POST",)),
    "admin:autocomplete": admin(STAFF, data=lambda fund: {
        "app_label": "casework", "model_name": "membership", "field_name": "fund"}),
    "admin:view_on_site": admin(STAFF, allowed=HIDDEN, note="no model has a public page"),
    "admin:[(?P<url>.*)$]": admin(STAFF, note="admin catch-all: 'admin/auth' redirects to 'admin/auth/'"),
    # read-only admin lists: nobody may add or delete, staff included
    "admin:audit_historicalfund_add": admin(STAFF, allowed=REFUSED),
    "admin:audit_historicalfund_delete": admin(STAFF, allowed=REFUSED),
    "admin:audit_historicalmembership_add": admin(STAFF, allowed=REFUSED),
    "admin:audit_historicalmembership_delete": admin(STAFF, allowed=REFUSED),
    "admin:axes_accessattempt_add": admin(STAFF, allowed=REFUSED),
    "admin:axes_accesslog_add": admin(STAFF, allowed=REFUSED),
    "admin:axes_accessfailurelog_add": admin(STAFF, allowed=REFUSED),
}
