import pytest
from django.core.mail import EmailMultiAlternatives

from notifications import emails
from tests.support.smtp import SmtpServer


@pytest.fixture
def smtp_settings(settings):
    server = SmtpServer().start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
    yield server
    emails._reset()
    server.stop()


def _message(n: int) -> EmailMultiAlternatives:
    return EmailMultiAlternatives(subject=f"Message {n}", body="Texte", to=[f"boite{n}@caisse.test"])


def test_notices_share_one_smtp_connection_and_survive_a_dropped_one(smtp_settings):
    emails.message_send(_message(1))
    connection = next(iter(emails._connections.values()))
    emails.message_send(_message(2))
    assert next(iter(emails._connections.values())) is connection and connection.connection is not None
    connection.connection.close()  # the server dropped an idle connection
    emails.message_send(_message(3))
    assert [m["subject"] for m in smtp_settings.handler.accepted] == ["Message 1", "Message 2", "Message 3"]
