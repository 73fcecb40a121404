"""A request id for every request (nginx's X-Request-ID, or a fresh one), in every log line of that request and of
the Celery tasks it queues."""

import contextvars
import logging
import re
import uuid

from celery.signals import before_task_publish, task_postrun, task_prerun

HEADER = "X-Request-ID"
TASK_HEADER = "vigie_request_id"
_current: contextvars.ContextVar[str] = contextvars.ContextVar("vigie_request_id", default="")
_VALID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def current() -> str:
    return _current.get()


class RequestIdMiddleware:
    """First in the stack: the id is set before any other middleware logs, and sent back in the response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.headers.get(HEADER, "")
        request_id = given if _VALID.match(given) else uuid.uuid4().hex
        token = _current.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = request_id
        return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record (empty outside a request or a task queued by one)."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = _current.get()
        return True


@before_task_publish.connect
def _carry_into_task(headers=None, **kwargs) -> None:
    request_id = _current.get()
    if request_id and headers is not None:
        headers[TASK_HEADER] = request_id


@task_prerun.connect
def _restore_in_task(task=None, **kwargs) -> None:
    request_id = getattr(task.request, TASK_HEADER, None) or (task.request.headers or {}).get(TASK_HEADER, "")
    task.request.vigie_request_token = _current.set(request_id or "")


@task_postrun.connect
def _clear_after_task(task=None, **kwargs) -> None:
    token = getattr(task.request, "vigie_request_token", None)
    if token is not None:
        _current.reset(token)
