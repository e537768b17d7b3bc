import os
import time

import pytest
from django.conf import settings
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.middleware import SIGNED_IN_AT
from core.models import User

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # live_server and the ORM in one browser test


def authenticator_for(user: User) -> TOTPDevice:
    """The user's confirmed authenticator app, created if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="Test authenticator", confirmed=True)


def sign_in(client: Client, user: User) -> Client:
    """Signed in with password and second factor, as after the full sign-in journey."""
    client.force_login(user)
    session = client.session
    session[SIGNED_IN_AT] = time.time()
    session[DEVICE_ID_SESSION_KEY] = authenticator_for(user).persistent_id
    session.save()
    return client


@pytest.fixture
def signed_in(client: Client):
    """Call with a user to get the test client signed in as them."""
    return lambda user: sign_in(client, user)


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def redis_url() -> str:
    """A reachable Redis for tests that need one; under CI=true its absence fails the test."""
    from redis import Redis
    from redis.exceptions import RedisError

    url = settings.TEST_REDIS_URL
    try:
        Redis.from_url(url, socket_connect_timeout=1).ping()
    except RedisError:
        if settings.CI:
            pytest.fail(f"CI=true but Redis is not reachable at {url}")
        pytest.skip(f"Redis is not reachable at {url}")
    return url
