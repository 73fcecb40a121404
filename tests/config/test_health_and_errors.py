import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from rest_framework.test import APIRequestFactory

from config.api.exceptions import exception_handler
from config.errors import ApplicationError, ConflictError, NotFound
from config.middleware import DomainErrorMiddleware


@pytest.mark.django_db
def test_healthz_reports_database_and_broker(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "eager"}


@pytest.mark.django_db
def test_healthz_reports_an_unreachable_broker(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["broker"] == "down"


def _handle(exc):
    request = APIRequestFactory().get("/")
    return exception_handler(exc, {"request": request, "view": None})


def test_application_error_becomes_detail():
    response = _handle(ApplicationError("Règle enfreinte"))
    assert (response.status_code, response.data) == (400, {"detail": "Règle enfreinte"})
    assert _handle(ConflictError("Déjà fait")).status_code == 409


def test_django_validation_error_becomes_detail():
    response = _handle(ValidationError("NIR invalide : clé incorrecte"))
    assert response.status_code == 400
    assert response.data == {"detail": ["NIR invalide : clé incorrecte"]}


def test_not_found_answers_as_a_missing_object_does():
    response = _handle(NotFound())
    assert response.status_code == 404 and response.data == _handle(Http404()).data == {"detail": "Non trouvé."}


def test_domain_error_middleware_is_installed(settings):
    assert "config.middleware.DomainErrorMiddleware" in settings.MIDDLEWARE


def test_middleware_turns_only_not_found_into_a_404(rf):
    middleware = DomainErrorMiddleware(lambda request: None)
    with pytest.raises(Http404):
        middleware.process_exception(rf.get("/"), NotFound())
    assert middleware.process_exception(rf.get("/"), ApplicationError("Règle enfreinte")) is None
