import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Public pages and the API's throttle keep state in the cache; each test starts with none."""
    cache.clear()
    yield
    cache.clear()
