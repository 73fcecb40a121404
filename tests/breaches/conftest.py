import pytest


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    """Import files and reports go to a fresh private directory per test."""
    settings.PRIVATE_ROOT = tmp_path / "private"
    return settings.PRIVATE_ROOT
