"""Regions: each fund's region from its departments, and the regional coordination's reach."""

import pytest
from django.urls import reverse

from config.errors import ApplicationError
from network.models import Fund, Membership
from network.permissions import funds_of, overseen_funds, oversees
from network.regions import departments, region_of, regions
from network.services import funds_load, membership_grant
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_reference_data_covers_every_department_and_region():
    assert len(departments()) == 101 and {"2A", "2B", "971", "976"} <= set(departments())
    assert len(regions()) == 18 and {d.region for d in departments().values()} == set(regions())
    assert region_of(["59"]) == "32" and region_of(["2A"]) == "94" and region_of(["974"]) == "04"


def test_loaded_funds_have_their_region_and_overseas_funds_their_own():
    funds_load()
    by_code = dict(Fund.objects.values_list("code", "region"))
    assert by_code["561"] == by_code["291"] == "53" and by_code["594"] == "32" and by_code["201"] == "94"
    assert by_code["971"] == "01" and by_code["976"] == "06" and "" not in by_code.values()


def test_regional_coordination_oversees_its_region_and_works_no_fund(client):
    funds_load()
    user = UserFactory(username="coord")
    membership_grant(user=user, role=Membership.Role.REGIONAL, region="53")
    assert oversees(user) and sorted(overseen_funds(user=user).values_list("code", flat=True)) == [
        "221", "291", "351", "561"]
    assert not funds_of(user=user).exists()
    client.force_login(user)
    assert client.get(reverse("fund-detail", args=["561"])).status_code == 200
    assert client.get(reverse("fund-detail", args=["751"])).status_code == 404


def test_regional_coordination_needs_a_known_region_and_no_fund(fund_a):
    user = UserFactory(username="coord")
    with pytest.raises(ApplicationError):
        membership_grant(user=user, role=Membership.Role.REGIONAL, region="99")
    with pytest.raises(ApplicationError):
        membership_grant(user=user, role=Membership.Role.REGIONAL, region="53", fund=fund_a)
