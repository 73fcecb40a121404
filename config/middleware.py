"""Domain errors that no view handled become Django's own responses."""

from django.http import Http404

from config.errors import NotFound


class DomainErrorMiddleware:
    """A service's NotFound becomes Django's 404 (the 404 page; JSON under /api/), as Http404 would: services stay
    free of HTTP, pages keep one 404. API views never get here: their exception handler answers first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, NotFound):
            raise Http404(exception.message) from exception
        return None
