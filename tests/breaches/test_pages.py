"""Pages: registry for national staff, read-only figures for fund users, import, routing, lookup, export."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from breaches.crypto import nir_digest
from breaches.models import AccessLog, AffectedPerson, Breach, Cohort
from breaches.nir import make_nir
from network.models import Membership
from network.services import membership_grant
from tests.breaches.factories import FLAGGED, BreachFactory, complete_record, person
from tests.factories import FundFactory, UserFactory


@pytest.fixture
def manager_b(fund_b):
    user = UserFactory(username="manager_b")
    membership_grant(user=user, role=Membership.Role.MANAGER, fund=fund_b)
    return user


@pytest.fixture
def breach(fund_a, fund_b):
    breach = BreachFactory(title="Laboratoires de l'Ouest", organisations="Labo A\nLabo B")
    person(breach=breach, nir=FLAGGED, fund=fund_a, last_name="Le Gall", first_name="Anne", postcode="56100",
           department="56")
    person(breach=breach, nir=make_nir(order=2, place="29019"), fund=fund_b, last_name="Kerouac", department="29")
    person(breach=breach, nir=make_nir(order=3, place="59350"), fund=None, postcode="59000", department="59")
    person(breach=breach, nir=make_nir(order=4, place="59350"), fund=None, postcode="59100", department="59")
    return breach


def test_national_creates_edits_and_closes_a_breach(client_as, national):
    client = client_as(national)
    response = client.post(reverse("breaches:breach-create"), {
        "title": "Laboratoires", "discovered_on": "2026-02-01", "reported_on": "2026-02-03",
        "data_categories": ["nir", "health"], "departments": "56, 29", "severity": "critical",
        "organisations": "Labo A\nLabo B"})
    breach = Breach.objects.get()
    assert response.status_code == 302 and response.url == reverse("breaches:breach-detail", args=[breach.reference])
    assert (breach.category_codes, breach.department_codes, breach.created_by) == (["nir", "health"], ["56", "29"],
                                                                                    national)
    bad = client.post(reverse("breaches:breach-edit", args=[breach.reference]), {
        "title": "Laboratoires", "discovered_on": "2026-02-05", "reported_on": "2026-02-03", "severity": "high"})
    assert "ne peut précéder" in bad.content.decode()
    Breach.objects.filter(pk=breach.pk).update(**complete_record())
    client.post(reverse("breaches:breach-status", args=[breach.reference]), {"status": "closed", "confirm": "1"})
    breach.refresh_from_db()
    assert (breach.status, breach.status_changed_by) == ("closed", national)
    page = client.get(reverse("breaches:breach-list"), {"status": "closed", "q": "Labo"}).content.decode()
    assert breach.reference in page
    assert breach.reference not in client.get(reverse("breaches:breach-list"), {"status": "open"}).content.decode()


def test_fund_user_sees_read_only_detail_with_own_figures(client_as, agent_b, breach):
    client = client_as(agent_b)
    assert breach.reference in client.get(reverse("breaches:breach-list")).content.decode()
    assert "Vérifier" in client.get(reverse("breaches:lookup")).content.decode()
    page = client.get(reverse("breaches:breach-detail", args=[breach.reference])).content.decode()
    assert "291 — CPAM du Finistère" in page and "561 — CPAM du Morbihan" not in page
    assert "Charger la cohorte" not in page and "Modifier" not in page
    assert client.get(reverse("breaches:breach-edit", args=[breach.reference])).status_code == 404
    assert client.get(reverse("breaches:unassigned", args=[breach.reference])).status_code == 404
    assert client_as(UserFactory(username="x")).get(reverse("breaches:breach-list")).status_code == 404


def test_national_detail_counts_by_fund_and_department(client_as, national, breach):
    page = client_as(national).get(reverse("breaches:breach-detail", args=[breach.reference])).content.decode()
    assert "561 — CPAM du Morbihan" in page and "291 — CPAM du Finistère" in page
    assert "2 personnes à répartir" in page


def test_upload_page_imports_and_offers_the_report(client_as, national, breach, fund_a,
                                                   django_capture_on_commit_callbacks):
    client = client_as(national)
    content = f"NIR;Code postal\n{make_nir(order=10)};56000\n123;56000\n".encode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("breaches:cohort-create", args=[breach.reference]),
                               {"file": SimpleUploadedFile("depot.csv", content)})
    cohort = Cohort.objects.get(file_name="depot.csv")
    assert response.url == reverse("breaches:cohort-detail", args=[cohort.pk])
    page = client.get(reverse("breaches:cohort-detail", args=[cohort.pk])).content.decode()
    assert "Télécharger le rapport des rejets" in page and cohort.checksum in page
    progress = client.get(reverse("breaches:cohort-progress", args=[cohort.pk])).json()
    assert {k: progress[k] for k in ("status", "rows", "imported", "rejected", "progress")} == {
        "status": "done", "rows": 2, "imported": 1, "rejected": 1, "progress": 100}
    report = b"".join(client.get(reverse("breaches:cohort-report", args=[cohort.pk])).streaming_content)
    assert report.decode("utf-8-sig").splitlines()[1].startswith("3;NIR invalide : longueur de 3")
    again = client.post(reverse("breaches:cohort-create", args=[breach.reference]),
                        {"file": SimpleUploadedFile("copie.csv", content)}, follow=True)
    assert "déjà été chargé" in again.content.decode()
    assert client_as(UserFactory(username="y")).get(
        reverse("breaches:cohort-progress", args=[cohort.pk])).status_code == 404


def test_routing_unassigned_people(client_as, national, breach):
    nord = [FundFactory(code=code, departments=["59"]) for code in ("594", "595")]
    client = client_as(national)
    url = reverse("breaches:unassigned", args=[breach.reference])
    client.post(url, {"postcode_prefix": "591", "fund": "595"})
    assert AffectedPerson.objects.get(postcode="59100").fund == nord[1]
    one = AffectedPerson.objects.get(postcode="59000")
    client.post(url, {"people": str(one.pk), "fund": "594"})
    one.refresh_from_db()
    assert one.fund == nord[0]
    assert "Plus personne à répartir" in client.get(url).content.decode()
    response = client.post(url, {"department": "59", "fund": "999"}, follow=True)
    assert "Caisse inconnue" in response.content.decode()


def test_agent_lookup_page_finds_flagged_person_and_logs(client_as, agent_a, breach, fund_a):
    client = client_as(agent_a)
    page = client.post(reverse("breaches:lookup"), {"nir": FLAGGED, "purpose": "RIB"}).content.decode()
    assert "personne exposée" in page and breach.reference in page and FLAGGED not in page
    assert "02/03/2026" in page and "CPAM du Morbihan" in page
    log = AccessLog.objects.get()
    assert (log.user, log.fund, log.nir_digest, log.result, log.client_address) == (
        agent_a, fund_a, nir_digest(FLAGGED), "signalé", "127.0.0.1")
    bad = client.post(reverse("breaches:lookup"), {"nir": FLAGGED[:14]})
    assert bad.status_code == 400 and "longueur de 14" in bad.content.decode()
    clean = client.post(reverse("breaches:lookup"), {"nir": make_nir(order=999)}).content.decode()
    assert "aucune fuite connue" in clean


def test_other_fund_cannot_see_or_export_first_funds_people(client_as, agent_b, manager_b, agent_a, breach):
    for user in (agent_b, manager_b):
        client = client_as(user)
        assert client.get(reverse("breaches:fund-people", args=["561"])).status_code == 404
        assert client.post(reverse("breaches:fund-export", args=["561"]), {"purpose": "x"}).status_code == 404
    # An agent of the fund sees the masked list but may not export.
    client = client_as(agent_a)
    page = client.get(reverse("breaches:fund-people", args=["561"])).content.decode()
    assert "Le Gall" in page and "Kerouac" not in page and FLAGGED not in page and "Exporter" not in page
    assert client.post(reverse("breaches:fund-export", args=["561"]), {"purpose": "x"}).status_code == 404
    assert AccessLog.objects.count() == 0


def test_manager_exports_own_fund_clear_list_and_every_decryption_is_logged(client_as, manager_a, breach, fund_a):
    client = client_as(manager_a)
    response = client.post(reverse("breaches:fund-export", args=["561"]), {"purpose": "courrier aux assurés"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"))
    assert rows[1:] == [[breach.reference, FLAGGED, "Le Gall", "Anne", "", "56100", "", ""]]
    logs = list(AccessLog.objects.order_by("id").values_list("action", "nir_digest", "result", "fund__code"))
    assert logs == [("decrypt", nir_digest(FLAGGED), "export", "561"), ("export", "", "1 personnes", "561")]


def test_access_log_page_is_for_national_staff(client_as, national, agent_a, breach):
    client_as(agent_a).post(reverse("breaches:lookup"), {"nir": FLAGGED})
    assert client_as(agent_a).get(reverse("breaches:access-log")).status_code == 404
    moved = client_as(national).get(reverse("breaches:access-log"), {"action": "lookup"})
    assert moved.status_code == 301 and moved.url == reverse("access-log-list") + "?action=lookup"
    assert "agent_a" in client_as(national).get(moved.url).content.decode()


def test_the_page_shares_the_api_throttle(client_as, agent_a, settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {"lookup": "2/min"}}
    client = client_as(agent_a)
    codes = [client.post(reverse("breaches:lookup"), {"nir": FLAGGED}).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert AccessLog.objects.count() == 2
