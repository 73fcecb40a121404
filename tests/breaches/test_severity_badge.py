"""A critical breach reads as an alarm: a red (error) badge, not the blue information one."""

import pytest
from django.urls import reverse

from tests.breaches.factories import BreachFactory

pytestmark = pytest.mark.django_db


def test_critical_severity_is_a_red_badge(client_as, national):
    breach = BreachFactory(severity="critical")
    client = client_as(national)
    for url in (reverse("breaches:breach-detail", args=[breach.reference]), reverse("breaches:breach-list")):
        content = client.get(url).content.decode()
        badge = content.split('data-severity="critical"')[0].rsplit("<span", 1)[1]
        assert "fr-badge--error" in badge and "fr-badge--info" not in badge
