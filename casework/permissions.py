"""The gate for pages and endpoints. Forbidden looks like missing (404): ids leak nothing."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.http import Http404
from rest_framework.permissions import BasePermission

from casework.selectors import is_national


def national_required(view):
    """Page for national staff only; anyone else signed in gets a 404, anonymous users go to sign-in."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not is_national(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


class IsNational(BasePermission):
    def has_permission(self, request, view) -> bool:
        if not is_national(request.user):
            raise Http404
        return True
