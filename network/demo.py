"""Demo data for the network: the funds, notice addresses on a reserved domain and one user of each role."""

from django.contrib.auth import get_user_model

from network.models import Fund, Membership
from network.services import funds_load, membership_grant, user_provision

DEMO_PASSWORD = "Vigie-demo-2026"
DEMO_USERS = [
    # username, role, fund code, label
    ("national", Membership.Role.NATIONAL, None, "Personnel national"),
    ("resp561", Membership.Role.MANAGER, "561", "Responsable, CPAM du Morbihan"),
    ("agent561", Membership.Role.AGENT, "561", "Agent, CPAM du Morbihan"),
    ("agent291", Membership.Role.AGENT, "291", "Agent, CPAM du Finistère"),
    ("region53", Membership.Role.REGIONAL, "53", "Coordination régionale, Bretagne"),
]


def _demo_notice_addresses() -> None:
    for fund in Fund.objects.filter(notice_emails=""):
        fund.notice_emails = f"vigilance.{fund.code}@demo.invalid\ndirection.{fund.code}@demo.invalid"
        fund.save(update_fields=["notice_emails", "updated_at"])


def _demo_admin(stdout) -> None:
    User = get_user_model()
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser("admin", "admin@demo.invalid", DEMO_PASSWORD)
    stdout.write(f"  admin       / {DEMO_PASSWORD}  (administrateur, /admin/)")


def seed(stdout) -> None:
    funds_load()
    _demo_notice_addresses()
    stdout.write("Comptes de démonstration :")
    _demo_admin(stdout)
    for username, role, code, label in DEMO_USERS:
        user, _ = user_provision(username=username, password=DEMO_PASSWORD, email=f"{username}@demo.invalid")
        if role == Membership.Role.REGIONAL:
            membership_grant(user=user, role=role, region=code)
        else:
            membership_grant(user=user, role=role, fund=Fund.objects.get(code=code) if code else None)
        stdout.write(f"  {username:<11} / {DEMO_PASSWORD}  ({label})")
