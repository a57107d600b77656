import pytest


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    # The tests create users; the production hasher is slow on purpose.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def empty_cache():
    """Pages and counts the portal keeps belong to one test's database."""
    from django.core.cache import cache

    cache.clear()
