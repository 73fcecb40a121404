from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casework.cases.attachments import attachment_path
from casework.cases.models import Attachment
from tests.casework.factories import open_case

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def _upload(client, case, name, content, content_type="application/pdf"):
    return client.post(reverse("case-attachment-add", args=[case.pk]),
                       {"file": SimpleUploadedFile(name, content, content_type=content_type)}, follow=True)


def test_pdf_png_jpeg_are_stored_outside_the_web_root_and_on_the_timeline(client_as, agent_a, fund_a,
                                                                           private_root, settings):
    case = open_case(fund=fund_a, actor=agent_a)
    client = client_as(agent_a)
    for name, content in [("scan.pdf", PDF), ("photo.png", PNG), ("photo.jpg", JPEG)]:
        _upload(client, case, name, content)
    stored = list(Attachment.objects.order_by("id"))
    assert [a.content_type for a in stored] == ["application/pdf", "image/png", "image/jpeg"]
    for attachment in stored:
        path = attachment_path(attachment)
        assert path.is_file() and private_root in path.parents
        assert str(settings.STATIC_ROOT) not in str(path)
    assert case.events.filter(kind="attachment").count() == 3
    response = client.get(reverse("case-attachment", args=[case.pk, stored[0].pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf" and "attachment" in response["Content-Disposition"]


def test_type_is_decided_by_content_not_by_name(client_as, agent_a, fund_a):
    case = open_case(fund=fund_a, actor=agent_a)
    response = _upload(client_as(agent_a), case, "faux.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    assert "seuls les PDF, PNG et JPEG" in response.content.decode()
    assert not Attachment.objects.exists()


def test_size_limit(client_as, agent_a, fund_a, settings, private_root):
    settings.CASE_ATTACHMENT_MAX_BYTES = 1024
    case = open_case(fund=fund_a, actor=agent_a)
    response = _upload(client_as(agent_a), case, "gros.pdf", PDF + b"0" * 2048)
    assert "trop volumineux" in response.content.decode()
    assert not Attachment.objects.exists()
    assert not any(private_root.rglob("*.pdf")) if private_root.exists() else True


def test_agent_of_other_fund_gets_404_on_attachments(client_as, api, agent_a, agent_b, fund_a):
    case = open_case(fund=fund_a, actor=agent_a)
    _upload(client_as(agent_a), case, "scan.pdf", PDF)
    attachment = Attachment.objects.get()
    outsider = client_as(agent_b)
    assert outsider.get(reverse("case-attachment", args=[case.pk, attachment.pk])).status_code == 404
    assert _upload(outsider, case, "x.pdf", PDF).status_code == 404
    api.force_authenticate(agent_b)
    assert api.get(f"/api/v1/cases/{case.pk}/attachments/{attachment.pk}/").status_code == 404
    assert Attachment.objects.count() == 1


def test_attachment_of_another_case_is_not_served_through_this_case(client_as, agent_a, agent_b, fund_a, fund_b):
    mine = open_case(fund=fund_a, actor=agent_a)
    theirs = open_case(fund=fund_b, actor=agent_b)
    _upload(client_as(agent_b), theirs, "scan.pdf", PDF)
    attachment = Attachment.objects.get()
    assert client_as(agent_a).get(reverse("case-attachment", args=[mine.pk, attachment.pk])).status_code == 404


def test_api_upload_checks_content(api, agent_a, fund_a):
    case = open_case(fund=fund_a, actor=agent_a)
    api.force_authenticate(agent_a)
    url = f"/api/v1/cases/{case.pk}/attachments/"
    bad = api.post(url, {"file": SimpleUploadedFile("a.png", b"GIF89a....")}, format="multipart")
    assert bad.status_code == 400 and "PDF" in bad.json()["detail"]
    good = api.post(url, {"file": SimpleUploadedFile("a.png", PNG)}, format="multipart")
    assert good.status_code == 201 and good.json()["content_type"] == "image/png"
