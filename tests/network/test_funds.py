import csv

import pytest
from django.core.management import call_command

from network.models import Fund
from network.services import FUNDS_FILE, funds_load


def _reference_rows():
    with FUNDS_FILE.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.django_db
def test_load_funds_loads_every_fund_of_the_reference_file():
    call_command("load_funds")
    assert Fund.objects.count() == len(_reference_rows()) == 107


@pytest.mark.django_db
def test_well_known_funds_have_their_departments():
    funds_load()
    morbihan = Fund.objects.get(code="561")
    assert morbihan.name == "CPAM du Morbihan"
    assert morbihan.department_codes == ["56"]
    assert Fund.objects.get(code="201").department_codes == ["2A"]
    assert Fund.objects.filter(departments__department="59").count() == 4
    assert Fund.objects.get(code="976").kind == Fund.Kind.CSS


@pytest.mark.django_db
def test_load_funds_twice_changes_nothing():
    first = funds_load()
    snapshot = list(Fund.objects.values_list("code", "name", "kind", "updated_at"))
    second = funds_load()
    assert first.created == 107
    assert (second.created, second.updated, second.unchanged) == (0, 0, 107)
    assert list(Fund.objects.values_list("code", "name", "kind", "updated_at")) == snapshot


@pytest.mark.django_db
def test_load_funds_repairs_a_changed_fund():
    funds_load()
    fund = Fund.objects.get(code="561")
    fund.name = "Nom modifié"
    fund.save()
    fund.departments.all().delete()
    result = funds_load()
    fund.refresh_from_db()
    assert result.updated == 1
    assert fund.name == "CPAM du Morbihan" and fund.department_codes == ["56"]
