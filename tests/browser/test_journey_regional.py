"""A regional coordination's day, in the browser, under production settings: sign in → the regional view with its
map → its region's weekly report (PDF) → the region's map and a fund's page → the board of an instruction, its
region's funds only; no NIR lookup, no case."""

import datetime

import pytest
from django.utils import timezone

from network.models import Membership
from network.services import membership_grant
from tests.breaches.factories import BreachFactory, CohortFactory, person
from tests.casework.factories import new_nir
from tests.factories import FundFactory, UserFactory
from tests.notifications.factories import issued

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_regional_view_report_map_fund_and_board(sign_in, look, open_menu, page_problems, national, fund_a, fund_b):
    paris = FundFactory(code="751", name="CPAM de Paris", departments=["75"])
    breach = BreachFactory(title="Laboratoires de l'Ouest")
    cohort = CohortFactory(breach=breach)
    for fund, department in ((fund_a, "56"), (fund_b, "29"), (paris, "75")):
        person(breach=breach, nir=new_nir(), cohort=cohort, fund=fund, department=department)
    instruction = issued(national, breach=breach, reply_by=timezone.localdate() + datetime.timedelta(days=5))
    coordinator = UserFactory(username="bretagne")
    membership_grant(user=coordinator, role=Membership.Role.REGIONAL, region="53")

    page = sign_in(coordinator)
    open_menu(None, "Vue régionale")
    page.get_by_test_id("view-map").locator('[data-department="56"]').first.wait_for()
    look("01-vue-regionale")
    form = page.get_by_test_id("weekly-report-form")
    assert form.locator("option").first.inner_text().startswith("53")  # its region only, not the network
    with page.expect_download() as download:
        form.get_by_test_id("weekly-report-download").click()
    assert download.value.suggested_filename.endswith("-region-53.pdf")
    assert download.value.path().read_bytes().startswith(b"%PDF")

    open_menu(None, "Carte de la région")
    look("02-carte")
    assert page.get_by_test_id("map-table").locator('tr[data-department="75"]').count() == 0
    page.get_by_test_id("map-table").get_by_role("link", name="561 — CPAM du Morbihan").click()
    page.wait_for_load_state("load")
    look("03-caisse")

    page.goto(f"/consignes/{instruction.id}/suivi/")
    rows = page.get_by_test_id("board").locator("tbody tr")
    assert sorted(rows.nth(i).get_attribute("data-fund") for i in range(rows.count())) == ["291", "561"]
    look("04-suivi")
    page_problems.allow(r"status of 404")  # the browser logs the 404 this test expects
    assert page.goto("/fuites/verification/").status == 404  # no NIR lookup
