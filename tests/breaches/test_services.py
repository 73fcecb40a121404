import datetime
import re

import pytest

from breaches.importing import cohort_register
from breaches.models import AffectedPerson, Breach
from breaches.nir import make_nir
from breaches.services import breach_create, breach_set_status, breach_update, people_route
from config.errors import ApplicationError
from tests.breaches.factories import BreachFactory, complete_record, person
from tests.factories import FundFactory


def test_references_follow_each_other_within_the_year(national):
    first = breach_create(actor=national, title="A", discovered_on=datetime.date(2026, 1, 2))
    second = breach_create(actor=national, title="B", discovered_on=datetime.date(2026, 1, 3),
                           data_categories=["nir", "HEALTH"], departments="56; 2a 29")
    assert re.fullmatch(r"BR-\d{4}-0001", first.reference)
    assert second.reference == first.reference[:-4] + "0002"
    assert (second.data_categories, second.departments) == ("nir,health", "56,2A,29")
    assert (first.status, first.created_by, first.status_changed_by) == ("open", national, national)
    with pytest.raises(ApplicationError, match="inconnue"):
        breach_create(actor=national, title="C", discovered_on=datetime.date(2026, 1, 3), data_categories=["adn"])
    with pytest.raises(ApplicationError, match="non modifiables"):
        breach_update(breach=first, actor=national, status="closed")


def test_status_moves_forward_only_and_a_closed_breach_takes_no_cohort(national, tmp_path):
    breach = BreachFactory(**complete_record())
    breach = breach_set_status(breach=breach, status="monitoring", actor=national)
    assert breach.status_changed_by == national and breach.status_changed_at is not None
    with pytest.raises(ApplicationError, match="arrière"):
        breach_set_status(breach=breach, status="open", actor=national)
    breach = breach_set_status(breach=breach, status="closed", actor=national)
    (tmp_path / "c.csv").write_text("nir\n" + make_nir())
    with pytest.raises(ApplicationError, match="close"):
        cohort_register(actor=None, breach=breach, path=tmp_path / "c.csv", queue=False)
    assert Breach.objects.get().status == "closed"


def test_routing_moves_only_unassigned_people_of_that_breach(national, fund_a):
    nord = FundFactory(code="594", departments=["59"])
    breach, other = BreachFactory(), BreachFactory()
    waiting = person(breach=breach, department="59", postcode="59000")
    already = person(breach=breach, department="59", postcode="59000", fund=fund_a)
    elsewhere = person(breach=other, department="59", postcode="59000")
    assert people_route(breach=breach, fund=nord, actor=national, department="59") == 1
    assert AffectedPerson.objects.get(pk=waiting.pk).fund == nord
    assert AffectedPerson.objects.get(pk=already.pk).fund == fund_a
    assert AffectedPerson.objects.get(pk=elsewhere.pk).fund is None
    with pytest.raises(ApplicationError, match="Indiquez"):
        people_route(breach=breach, fund=nord, actor=national)
    with pytest.raises(ApplicationError, match="chiffres"):
        people_route(breach=breach, fund=nord, actor=national, postcode_prefix="59a")
