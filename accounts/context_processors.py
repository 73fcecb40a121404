from django.conf import settings


def sign_in_options(request) -> dict:
    return {"oidc_enabled": settings.OIDC_ENABLED}
