"""Adding a comment or an attachment to a case says so."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.casework.factories import open_case

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def test_comment_and_attachment_show_a_confirmation(client_as, agent_a, fund_a):
    case = open_case(fund=fund_a, actor=agent_a)
    client = client_as(agent_a)
    commented = client.post(reverse("case-comment", args=[case.pk]), {"body": "Appel de l'assuré"}, follow=True)
    assert "Commentaire ajouté." in commented.content.decode()
    attached = client.post(reverse("case-attachment-add", args=[case.pk]),
                           {"file": SimpleUploadedFile("scan.pdf", PDF, content_type="application/pdf")},
                           follow=True)
    assert "Pièce jointe « scan.pdf » ajoutée." in attached.content.decode()
