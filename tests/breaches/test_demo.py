from io import StringIO

from breaches import demo
from breaches.crypto import nir_digest
from breaches.models import AffectedPerson, Breach, Cohort
from network import demo as network_demo


def test_demo_seed_is_idempotent_and_has_flagged_people_in_561_and_291(db):
    network_demo.seed(StringIO())
    out = StringIO()
    demo.seed(out)
    demo.seed(StringIO())
    assert Breach.objects.count() == 1 and Cohort.objects.count() == 1
    assert AffectedPerson.objects.count() > 2900
    codes = {nir: fund for nir, fund, *_ in demo.SHOWCASE}
    for nir, code in codes.items():
        assert AffectedPerson.objects.get(nir_digest=nir_digest(nir)).fund.code == code
        assert nir in out.getvalue()
    assert AffectedPerson.objects.filter(fund__isnull=True).count() >= 2
    assert not AffectedPerson.objects.filter(nir_digest=nir_digest(demo.NOT_FLAGGED)).exists()
