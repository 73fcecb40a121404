from io import StringIO

from django.utils import timezone

from breaches import demo
from breaches.crypto import nir_digest
from breaches.gdpr import demo as gdpr_demo
from breaches.gdpr.clock import clock_of
from breaches.models import AffectedPerson, Breach, Cohort
from network import demo as network_demo


def test_demo_seed_is_idempotent_and_has_flagged_people_in_561_and_291(db):
    network_demo.seed(StringIO())
    out = StringIO()
    demo.seed(out)
    demo.seed(StringIO())
    assert Breach.objects.count() == 2 and Cohort.objects.count() == 1
    assert AffectedPerson.objects.count() > 2900
    codes = {nir: fund for nir, fund, *_ in demo.SHOWCASE}
    for nir, code in codes.items():
        assert AffectedPerson.objects.get(nir_digest=nir_digest(nir)).fund.code == code
        assert nir in out.getvalue()
    assert AffectedPerson.objects.filter(fund__isnull=True).count() >= 2
    assert not AffectedPerson.objects.filter(nir_digest=nir_digest(demo.NOT_FLAGGED)).exists()


def test_demo_documents_the_2021_lab_leak_and_a_controller_breach_with_its_clock_running(db, settings, tmp_path):
    settings.PRIVATE_ROOT = tmp_path
    network_demo.seed(StringIO())
    demo.seed(StringIO())
    demo.seed(StringIO())
    lab = Breach.objects.get(title=demo.DEMO_TITLE)
    assert (lab.network_role, lab.people_approx, lab.department_codes) == (
        "third_party", 491_840, ["56", "45", "27", "22", "35", "41"])
    assert lab.inform_decision == "public" and "28 laboratoires" in lab.controller_names
    letter = lab.events.get(kind="letter_out")
    assert letter.occurred_at.date().isoformat() == "2021-03-31" and letter.document_type == "application/pdf"
    assert lab.events.count() == 4
    mailing = Breach.objects.get(title=gdpr_demo.MAILING_TITLE)
    assert clock_of(mailing, now=timezone.now()).state == "running"
