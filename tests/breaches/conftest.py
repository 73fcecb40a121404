import pytest

from tests.breaches.factories import FLAGGED, BreachFactory, person


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    """Import files and reports go to a fresh private directory per test."""
    settings.PRIVATE_ROOT = tmp_path / "private"
    return settings.PRIVATE_ROOT


@pytest.fixture
def breach(fund_a):
    """A breach holding FLAGGED, routed to fund A."""
    breach = BreachFactory(title="Laboratoires de l'Ouest", data_categories="nir,health")
    person(breach=breach, nir=FLAGGED, fund=fund_a)
    return breach
