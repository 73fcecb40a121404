"""The CSP header: built once for plain responses (config.middleware.CSPMiddleware), exactly as django-csp builds
it, and by django-csp itself for pages that use their nonce."""

import csp.utils
from django.urls import reverse


def test_a_plain_response_carries_django_csp_s_own_policy(api, agent_a, fund_a):
    api.force_authenticate(agent_a)
    first, second = api.get(reverse("api:fund-list")), api.get(reverse("api:fund-list"))
    assert first["Content-Security-Policy"] == second["Content-Security-Policy"] == csp.utils.build_policy()
    assert "'nonce-" not in first["Content-Security-Policy"]


def test_a_page_that_uses_its_nonce_gets_it_in_its_header(client_as, agent_a):
    page = client_as(agent_a).get(reverse("home"))
    nonce = page.wsgi_request._csp_nonce
    assert f"'nonce-{nonce}'" in page["Content-Security-Policy"]
    assert f'nonce="{nonce}"' in page.content.decode()


def test_a_changed_policy_is_built_again(api, agent_a, fund_a, settings):
    api.force_authenticate(agent_a)
    api.get(reverse("api:fund-list"))
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    assert api.get(reverse("api:fund-list"))["Content-Security-Policy"] == "default-src 'none'"
