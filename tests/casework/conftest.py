import pytest


@pytest.fixture(autouse=True)
def private_root(settings, tmp_path):
    """Attachments go to a temporary PRIVATE_ROOT, never the repository's."""
    settings.PRIVATE_ROOT = tmp_path / "private"
    return settings.PRIVATE_ROOT
