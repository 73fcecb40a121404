"""The one place where domain errors become API responses: always `{"detail": ...}`."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from config.errors import ApplicationError, NotFound, Throttled


def _django_validation_detail(exc: DjangoValidationError):
    if hasattr(exc, "message_dict"):
        return exc.message_dict
    return " ".join(exc.messages)


def exception_handler(exc, context):
    if isinstance(exc, NotFound | Http404):  # one answer for missing and forbidden, whoever raised it
        exc = exceptions.NotFound()
    if isinstance(exc, Throttled):
        return Response({"detail": exc.message}, status=exc.status_code, headers={"Retry-After": str(exc.retry_after)})
    if isinstance(exc, ApplicationError):
        return Response({"detail": exc.message, **exc.extra}, status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_django_validation_detail(exc))
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is not None and isinstance(exc, exceptions.ValidationError):
        if not (isinstance(response.data, dict) and "detail" in response.data):
            response.data = {"detail": response.data}
    return response
