"""The notice e-mail carries the whole instruction, in HTML and plain text; instructions cannot link elsewhere than
the intranet and the allowed hosts, nor show an image (phishing, tracking pixels)."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from config.errors import ApplicationError
from notifications import services
from notifications.rendering import markdown_to_html, markdown_to_text
from notifications.services import TargetSpec

pytestmark = pytest.mark.django_db

BODY = """Une fuite touche les **laboratoires** d'analyses.

Des fraudeurs peuvent *changer le RIB* d'un assuré. Ce paragraphe est long : """ + "mot " * 150 + """fin.

- vérifier le **titulaire** du RIB
- exiger une pièce d'identité
    - pour toute récupération de compte

Voir [la fiche de la fuite](/fuites/)."""


def _send(national, body=BODY, **kwargs):
    today = timezone.localdate()
    instruction = services.instruction_create(
        actor=national, title="Vigilance RIB", body=body, targets=TargetSpec(targeting="all"),
        required_actions=["Vérifier le titulaire", "Consigner la vérification"],
        effective_date=today, reply_by=today + datetime.timedelta(days=5), **kwargs)
    services.instruction_issue(instruction=instruction, actor=national)
    return instruction


def test_plain_text_keeps_paragraphs_lists_and_drops_markers(national, fund_a, settings,
                                                             django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://vigie.intranet"
    with django_capture_on_commit_callbacks(execute=True):
        instruction = _send(national)
    message = mail.outbox[0]
    text = message.body
    assert "Une fuite touche les laboratoires d'analyses.\n\nDes fraudeurs peuvent changer le RIB" in text
    assert "fin.\n\n- vérifier le titulaire du RIB\n- exiger une pièce d'identité\n  - pour toute" in text
    assert "**" not in text and "*changer" not in text
    assert "mot " * 150 in text  # the whole text, not a summary
    assert "la fiche de la fuite (https://vigie.intranet/fuites/)" in text
    assert "Actions requises :\n  1. Vérifier le titulaire\n  2. Consigner la vérification" in text
    reply_by = instruction.reply_by
    assert f"Réponse attendue le {reply_by.day}" in text and "En vigueur le" in text
    delivery = instruction.deliveries.get()
    assert f"https://vigie.intranet{reverse('notifications:delivery', args=[delivery.id])}" in text
    html, _ = message.alternatives[0]
    assert "<strong>laboratoires</strong>" in html and "<ul>" in html and "<li>exiger une pièce" in html
    assert 'href="https://vigie.intranet/fuites/"' in html and "Actions requises" in html


@pytest.mark.parametrize("body", [
    "Cliquez [ici](https://phishing.example/login).",
    "Rendez-vous sur https://phishing.example/login",
    "Voir www.phishing.example",
    "Voir <a href='//phishing.example/'>ici</a>",
    "![logo](https://tracker.example/pixel.gif)",
    'Bonjour <img src="https://tracker.example/p.gif">',
])
def test_instruction_refuses_foreign_links_and_images(national, fund_a, body):
    with pytest.raises(ApplicationError):
        services.instruction_create(actor=national, title="Vigilance", body=body,
                                    targets=TargetSpec(targeting="all"))


def test_allow_listed_host_and_intranet_links_pass(national, fund_a, settings):
    settings.SITE_URL = "https://vigie.intranet"
    settings.INSTRUCTION_LINK_HOSTS = ["ameli.fr"]
    body = "Voir [ameli](https://ameli.fr/assure) et [le registre](https://vigie.intranet/fuites/)."
    instruction = services.instruction_create(actor=national, title="Vigilance", body=body,
                                              targets=TargetSpec(targeting="all"))
    assert instruction.pk
    html = markdown_to_html(body)
    assert 'href="https://ameli.fr/assure"' in html and 'href="https://vigie.intranet/fuites/"' in html


def test_rendering_drops_images_and_foreign_hrefs_already_stored(settings):
    """Defence in depth for texts stored before the rule: the page and the e-mail never carry them."""
    settings.SITE_URL = "https://vigie.intranet"
    body = ("[piège](https://phishing.example/) [js](javascript:alert(1)) [m](mailto:x@phishing.example) "
            "![p](https://tracker.example/p.gif) <img src='https://tracker.example/q.gif'>")
    html = markdown_to_html(body)
    assert "phishing.example" not in html and "tracker.example" not in html and "<img" not in html
    assert "javascript" not in html
    assert "phishing.example" not in markdown_to_text(body)


def test_instruction_page_renders_without_foreign_links(national, client_as, fund_a, settings):
    settings.SITE_URL = "https://vigie.intranet"
    instruction = _send(national)
    page = client_as(national).get(reverse("notifications:instruction", args=[instruction.id])).content.decode()
    assert 'href="https://vigie.intranet/fuites/"' in page


def test_ordinary_slashes_are_not_taken_for_addresses(national, fund_a):
    body = "Appliquer du 12//2026 au 30/06, et/ou rappeler l'assuré."
    assert services.instruction_create(actor=national, title="Vigilance", body=body,
                                       targets=TargetSpec(targeting="all")).pk
