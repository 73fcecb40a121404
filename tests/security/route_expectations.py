"""Who may reach each route: ONE line per route, keyed by URL name ("namespace:name").

A route of the URL configuration or the API schema that is not declared here fails the permission matrix.
To declare a new route, add a line:

    "breach-detail": page(NATIONAL, kwargs=lambda fund: {"pk": objects.breach().pk}),
    "api:case-detail": api(FUND_READ, kwargs=lambda fund: {"pk": objects.case(fund).pk}, methods=("GET", "PATCH")),

`who` is one of the access rules below. `kwargs(fund)` builds the URL for an object belonging to `fund`
(fund A, then fund B); leave it out for routes without objects. The matrix then expects, for each role:
allowed -> 2xx/3xx (or 400 for a POST with an empty body), another fund's object or a role without the right
-> 404, anonymous -> redirect to sign-in (pages) or 401/403 (API).
Unnamed routes are keyed "namespace:[pattern]". Keys ending in "*" cover every route they prefix; an exact key
wins over a prefix.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from tests.security import objects as o

# regional: the regional coordination of Bretagne (53), the region of funds A (561) and B (291);
# regional_other: the regional coordination of Île-de-France (11), which reads neither.
ROLES = ("anonymous", "agent_a", "manager_a", "agent_b", "national", "admin", "regional", "regional_other")

# Access rules
PUBLIC = "public"            # anyone, signed in or not
SIGNED_IN = "signed_in"      # any signed-in user
NATIONAL = "national"        # national staff and superusers; others 404
STAFF = "staff"              # Django admin: staff only; others are sent to the admin sign-in
FUND_READ = "fund_read"      # members of the object's fund, national staff, superusers
FUND_WORK = "fund_work"      # members (agent or manager) of the object's fund only
FUND_MANAGE = "fund_manage"  # the manager of the object's fund only
NOBODY = "nobody"            # 404 for everyone (a feature switched off in tests)
MEMBERS = "members"          # any fund member (agent or manager of some fund); national staff and admins 404
MANAGERS = "managers"        # managers of some fund only
# Any fund member, national staff, superusers; a regional coordination gets 404 (it reads no register, no case)
MEMBERS_OR_NATIONAL = "members_or_national"
OVERSEERS = "overseers"      # national staff, superusers and every regional coordination (scoped to its region)
REGION_READ = "region_read"  # national staff, superusers, the regional coordination of the object's region
FUND_OR_REGION_READ = "fund_or_region_read"  # FUND_READ, and the regional coordination of the object's region


# Outcomes
OK, SIGN_IN, HIDDEN, REFUSED = "autorisé", "renvoi vers la connexion", "404", "401/403"


@dataclass(frozen=True)
class Rule:
    who: str
    kind: str = "page"  # page | api | admin: what anonymous users get
    kwargs: Callable | None = None
    methods: tuple[str, ...] = ("GET",)
    data: Callable | None = None  # body (POST...) or query (GET): data(fund) -> dict; empty by default
    allowed: str | tuple[str, ...] = OK  # what the allowed roles get (several: any of them)
    write: str | None = None  # another access rule for the methods other than GET
    anonymous: str | None = None  # what anonymous users get, when it is not the kind's default
    # Not compared (reported only), with the reason: e.g. an empty POST stopped by validation before the gate.
    unchecked: str = field(default="", compare=False)
    note: str = field(default="", compare=False)


def page(who, **options) -> Rule:
    return Rule(who, "page", **options)


def api(who, **options) -> Rule:
    return Rule(who, "api", **options)


def admin(who=STAFF, **options) -> Rule:
    return Rule(who, "admin", **options)


def fund_code(fund) -> dict:
    return {"code": fund.code}


def of(builder, name: str = "pk", *, attr: str = "pk"):
    """kwargs builder: {name: builder(fund).attr}, e.g. of(objects.case, "case_id")."""
    return lambda fund: {name: getattr(builder(fund), attr)}


def national_object(builder, name: str = "pk", *, attr: str = "pk"):
    """kwargs builder for national objects (no fund): the same object whatever the fund."""
    return lambda fund: {name: getattr(builder(None), attr)}


POST = ("POST",)
GET_POST = ("GET", "POST")


EXPECTATIONS: dict[str, Rule] = {
    # foundation: network
    "home": page(SIGNED_IN),
    "fund-list": page(NATIONAL),
    "fund-detail": page(FUND_OR_REGION_READ, kwargs=fund_code),
    "network-map": page(OVERSEERS),
    # a regional coordination reads its own region's report (any region asked for: 404, tests/reporting)
    "weekly-report": page(OVERSEERS, kwargs=national_object(o.breach, "reference", attr="reference")),
    "api:fund-list": api(SIGNED_IN),
    "api:fund-detail": api(FUND_READ, kwargs=fund_code),
    # Every role of the matrix holds one; a signed-in account without a role gets 404 (tests/config/test_api_docs.py).
    "api-schema": api(SIGNED_IN, note="role holders only"),
    "api-docs": api(SIGNED_IN, note="role holders only"),
    "healthz": page(PUBLIC),
    "favicon": page(PUBLIC),
    # the footer's pages (site map, accessibility, legal notice, personal data): readable before signing in
    "site-map": page(PUBLIC),
    "accessibility": page(PUBLIC),
    "legal-notice": page(PUBLIC),
    "personal-data": page(PUBLIC),
    "metrics": page(NOBODY, note="/metrics needs METRICS_TOKEN: unset in tests (tests/config/test_metrics.py)"),
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
    "mfa-enrol-link": page(SIGNED_IN, kwargs=lambda fund: {"token": "lien-inconnu"}, allowed=HIDDEN,
                           note="an unknown link: 404 for everyone (tests/accounts/test_enrolment_link.py)"),
    # POST issues a token only after the second factor (else the page says why): tests/accounts/test_api_tokens.py
    "api-tokens": page(SIGNED_IN, methods=GET_POST),
    "api-token-revoke": page(SIGNED_IN, kwargs=lambda fund: {"token_key": "vigie_inconnu"}, methods=POST,
                             allowed=HIDDEN, note="not the caller's token: 404 (tests/accounts/test_api_tokens.py)"),
    "oidc_authentication_init": page(NOBODY, note="single sign-on is off unless OIDC_ENABLED"),
    "oidc_authentication_callback": page(NOBODY, note="single sign-on is off unless OIDC_ENABLED"),
    # audit
    "history-list": page(NATIONAL),
    "history-export": page(NATIONAL),
    # Django admin: staff only, whatever the page
    "admin:*": admin(STAFF, allowed=(OK, REFUSED), note="staff: the page, or 403 where an admin is read-only"),
    "admin:login": admin(PUBLIC),
    "admin:logout": admin(PUBLIC, methods=("POST",)),
    "admin:autocomplete": admin(STAFF, data=lambda fund: {
        "app_label": "network", "model_name": "membership", "field_name": "fund"}),
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
    "admin:breaches_cohortpurge_add": admin(STAFF, allowed=REFUSED),
    "access-log-list": page(NATIONAL),
    "access-log-export": page(NATIONAL),
    # casework (issue 5): checks, cases, signals, dashboards
    "check-list": page(SIGNED_IN),
    "check-new": page(MEMBERS),
    "check-detail": page(FUND_READ, kwargs=of(o.check, "check_id")),
    "check-open-case": page(FUND_WORK, kwargs=of(o.check, "check_id"), methods=POST),
    "case-queue": page(SIGNED_IN),
    "my-cases": page(SIGNED_IN),  # the user's own assigned cases: empty for anyone else
    "case-bulk-assign": page(MANAGERS, methods=POST),
    "case-detail": page(FUND_READ, kwargs=of(o.case, "case_id")),
    "case-comment": page(FUND_WORK, kwargs=of(o.case, "case_id"), methods=POST),
    "case-status": page(FUND_WORK, kwargs=of(o.case, "case_id"), methods=POST),
    "case-assign": page(FUND_WORK, kwargs=of(o.case, "case_id"), methods=POST),
    "case-share": page(FUND_WORK, kwargs=of(o.case, "case_id"), methods=POST),  # any worker of the owning fund
    "case-attachment-add": page(FUND_WORK, kwargs=of(o.case, "case_id"), methods=POST),
    "case-attachment": page(FUND_READ, kwargs=lambda fund: {"case_id": o.case(fund).pk,
                                                            "attachment_id": o.attachment(fund).pk}),
    "signal-load": page(NATIONAL),
    "alert-list": page(SIGNED_IN),
    "dashboard": page(MEMBERS_OR_NATIONAL),
    "dashboard-national": page(OVERSEERS, note="a regional coordination reads its region's figures"),
    "dashboard-fund": page(FUND_READ, kwargs=fund_code),
    "api:check-list": api(SIGNED_IN, methods=GET_POST),
    "api:check-detail": api(FUND_READ, kwargs=of(o.check)),
    "api:check-open-case": api(FUND_WORK, kwargs=of(o.check), methods=POST),
    "api:case-list": api(SIGNED_IN, methods=GET_POST),
    "api:case-bulk-assign": api(MANAGERS, methods=POST),
    "api:case-detail": api(FUND_READ, kwargs=of(o.case)),
    "api:case-assign": api(FUND_WORK, kwargs=of(o.case), methods=POST),
    "api:case-attachments": api(FUND_WORK, kwargs=of(o.case), methods=POST),
    "api:case-attachment": api(FUND_READ, kwargs=lambda fund: {"pk": o.case(fund).pk,
                                                              "attachment_id": o.attachment(fund).pk}),
    "api:case-change-status": api(FUND_WORK, kwargs=of(o.case), methods=POST),
    "api:case-comment": api(FUND_WORK, kwargs=of(o.case), methods=POST),
    # The case's own fund shares it (agents too: casework.cases.services.case_share), no one else.
    "api:case-share": api(FUND_WORK, kwargs=of(o.case), methods=POST),
    "api:case-timeline": api(FUND_READ, kwargs=of(o.case)),
    "api:signal-list": api(NATIONAL, methods=GET_POST, anonymous=HIDDEN),
    "api:alert-list": api(SIGNED_IN),
    "api:alert-detail": api(FUND_READ, kwargs=of(o.alert)),
    # breaches (issue 3): registry, cohorts, lookup, exports
    "breaches:breach-list": page(MEMBERS_OR_NATIONAL),
    "breaches:breach-create": page(NATIONAL),
    "breaches:lookup": page(MEMBERS_OR_NATIONAL),
    "breaches:access-log": page(NATIONAL),
    "breaches:fund-people": page(FUND_READ, kwargs=fund_code),
    "breaches:fund-export": page(FUND_MANAGE, kwargs=fund_code, methods=POST),
    "breaches:cohort-detail": page(NATIONAL, kwargs=national_object(o.cohort)),
    "breaches:cohort-progress": page(NATIONAL, kwargs=national_object(o.cohort)),
    "breaches:cohort-report": page(NATIONAL, kwargs=national_object(o.cohort), allowed=HIDDEN,
                                   note="the test cohort has no rejection report: 404 for those allowed"),
    "breaches:cohort-retry": page(NATIONAL, kwargs=national_object(o.cohort), methods=POST),
    "breaches:breach-detail": page(MEMBERS_OR_NATIONAL,
                                   kwargs=national_object(o.breach, "reference", attr="reference")),
    "breaches:breach-edit": page(NATIONAL, kwargs=national_object(o.breach, "reference", attr="reference")),
    "breaches:breach-status": page(NATIONAL, kwargs=national_object(o.breach, "reference", attr="reference"),
                                   methods=POST),
    "breaches:cohort-create": page(NATIONAL, kwargs=national_object(o.breach, "reference", attr="reference"),
                                   methods=POST),
    "breaches:unassigned": page(NATIONAL, kwargs=national_object(o.breach, "reference", attr="reference")),
    # breaches (issue 14): the GDPR record, its timeline, closing and reopening, the register: national staff only
    "breaches:breach-record": page(NATIONAL, kwargs=national_object(o.breach, "reference", attr="reference")),
    "breaches:breach-event-create": page(NATIONAL, kwargs=national_object(o.breach, "reference", attr="reference"),
                                         methods=POST, allowed=OK,
                                         note="an empty POST is refused by the form: a message and a redirect"),
    "breaches:breach-event-document": page(NATIONAL, kwargs=lambda fund: {
        "reference": o.breach().reference, "event_id": o.breach_document().pk}),
    "breaches:breach-close": page(NATIONAL, kwargs=national_object(o.breach, "reference", attr="reference"),
                                  methods=("GET", "POST")),
    "breaches:breach-reopen": page(NATIONAL, kwargs=national_object(o.closed_breach, "reference", attr="reference"),
                                   methods=("GET", "POST")),
    "breaches:breach-register": page(NATIONAL),
    "breaches:breach-register-export": page(NATIONAL, kwargs=lambda fund: {"fmt": "csv"}),
    "api:breach-list": api(SIGNED_IN, methods=GET_POST, write=NATIONAL),
    "api:breach-detail": api(MEMBERS_OR_NATIONAL, kwargs=national_object(o.breach, "reference", attr="reference"),
                             methods=("GET", "PATCH"), write=NATIONAL),
    "api:breach-set-status": api(NATIONAL, kwargs=national_object(o.breach, "reference", attr="reference"),
                                 methods=POST),
    "api:lookup": api(SIGNED_IN, methods=POST),
    # notifications (issue 4): instructions, deliveries, acknowledgements
    "notifications:list": page(SIGNED_IN),
    "notifications:compose": page(NATIONAL),
    "notifications:network": page(NATIONAL),
    "notifications:network-chase": page(NATIONAL),
    "notifications:templates": page(NATIONAL),
    "notifications:template-create": page(NATIONAL, methods=GET_POST),
    "notifications:template-edit": page(NATIONAL, kwargs=national_object(o.instruction_template, "template_id"),
                                        methods=GET_POST),
    "notifications:template-delete": page(NATIONAL, kwargs=national_object(o.instruction_template, "template_id")),
    "notifications:inbox": page(SIGNED_IN),
    "notifications:delivery": page(FUND_READ, kwargs=of(o.delivery, "delivery_id")),
    "notifications:acknowledge": page(FUND_MANAGE, kwargs=of(o.delivery, "delivery_id"), methods=POST),
    "notifications:attest": page(FUND_MANAGE, kwargs=of(o.delivery, "delivery_id"), methods=POST),
    "notifications:resend": page(NATIONAL, kwargs=of(o.delivery, "delivery_id"), methods=POST),
    "notifications:instruction": page(NATIONAL, kwargs=national_object(o.instruction, "instruction_id")),
    "notifications:edit": page(NATIONAL, kwargs=national_object(o.draft_instruction, "instruction_id")),
    "notifications:issue": page(NATIONAL, kwargs=national_object(o.draft_instruction, "instruction_id"),
                                methods=POST),
    "notifications:amend": page(NATIONAL, kwargs=national_object(o.instruction, "instruction_id")),
    "notifications:withdraw": page(NATIONAL, kwargs=national_object(o.instruction, "instruction_id"), methods=POST),
    "notifications:board": page(REGION_READ, kwargs=national_object(o.instruction, "instruction_id")),
    "notifications:board-data": page(REGION_READ, kwargs=national_object(o.instruction, "instruction_id")),
    "notifications:board-chase": page(NATIONAL, kwargs=national_object(o.instruction, "instruction_id"),
                                      methods=GET_POST),
    "notifications:board-export": page(REGION_READ, kwargs=lambda fund: {"instruction_id": o.instruction().pk,
                                                                      "fmt": "csv"}),
    "api:instruction-list": api(SIGNED_IN, methods=GET_POST, write=NATIONAL),
    "api:instruction-detail": api(MEMBERS_OR_NATIONAL, kwargs=national_object(o.instruction),
                                  note="the test instruction is addressed to every fund"),
    "api:instruction-amend": api(NATIONAL, kwargs=national_object(o.instruction), methods=POST),
    "api:instruction-deliveries": api(MEMBERS_OR_NATIONAL, kwargs=national_object(o.instruction),
                                      note="fund users see their own fund's delivery only"),
    "api:instruction-issue": api(NATIONAL, kwargs=national_object(o.draft_instruction), methods=POST),
    "api:instruction-withdraw": api(NATIONAL, kwargs=national_object(o.instruction), methods=POST),
    "api:delivery-list": api(SIGNED_IN),
    "api:delivery-detail": api(FUND_READ, kwargs=of(o.delivery)),
    "api:delivery-acknowledge": api(FUND_MANAGE, kwargs=of(o.delivery), methods=POST),
    "api:delivery-attest": api(FUND_MANAGE, kwargs=of(o.delivery), methods=POST),
    "api:delivery-resend": api(NATIONAL, kwargs=of(o.delivery), methods=POST, anonymous=HIDDEN),
}
