"""Security headers and cookies, checked on real responses under production settings (S1, S4)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PROBE = r"""
import json, django
django.setup()
from django.core.management import call_command
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
call_command("migrate", verbosity=0)
call_command("collectstatic", interactive=False, verbosity=0)
from core.models import Membership, Organisation, Partnership, Role, User
partnership = Partnership.objects.create(name="P", short_name="P", ons_code="E06999999", region="R")
organisation = Organisation.objects.create(partnership=partnership, name="O", kind="council")
user = User.objects.create_user("probe@example.test", "a-long-probe-password")
Membership.objects.create(user=user, partnership=partnership, organisation=organisation, role=Role.ADMIN)
client = Client(HTTP_HOST="send.example.org", HTTP_X_FORWARDED_PROTO="https")  # as behind the HTTPS proxy
results = {}
sign_in = client.get("/sign-in/")
results["sign-in"] = {"headers": dict(sign_in.headers), "cookies": {k: dict(v) for k, v in sign_in.cookies.items()}}
signed_in = client.post("/sign-in/", {"username": "probe@example.test", "password": "a-long-probe-password"})
results["signed-in"] = {"status": signed_in.status_code, "cookies": {k: dict(v) for k, v in signed_in.cookies.items()}}
device = TOTPDevice.objects.create(user=user, confirmed=True)
session = client.session
session[DEVICE_ID_SESSION_KEY] = device.persistent_id
session.save()
for path in ["/", "/plan/", "/self-evaluation/", "/kpis/indicators/", "/no-such-page/"]:
    response = client.get(path)
    results[path] = {"status": response.status_code, "headers": dict(response.headers),
                     "cookies": {k: dict(v) for k, v in response.cookies.items()}}
print(json.dumps(results))
"""


@pytest.fixture(scope="module")
def responses(tmp_path_factory):
    folder = tmp_path_factory.mktemp("production")
    env = {
        k: v for k, v in os.environ.items() if k not in {"DJANGO_ALLOW_ASYNC_UNSAFE", "REDIS_URL", "DEBUG"}
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "send_portal.settings.production",
            "SECRET_KEY": "k3y-for-header-tests-only-9f8e7d6c5b4a39281706f5e4d3c2b1a0-zyxw",
            "DATABASE_URL": f"sqlite:///{folder / 'db.sqlite3'}",
            "ALLOWED_HOSTS": "send.example.org",
            "MEDIA_ROOT": str(folder / "media"),
            "STATIC_ROOT": str(folder / "static"),
        }
    )
    result = subprocess.run(
        [sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


PAGES = ["sign-in", "/", "/plan/", "/self-evaluation/", "/kpis/indicators/", "/no-such-page/"]


@pytest.mark.parametrize("page", PAGES)
def test_every_html_response_carries_the_security_headers(responses, page):
    headers = responses[page]["headers"]
    assert "max-age=31536000" in headers["Strict-Transport-Security"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Frame-Options"] == "DENY"
    policy = dict(
        (part.strip().split(" ", 1) + [""])[:2]
        for part in headers["Content-Security-Policy"].split(";")
        if part.strip()
    )
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-inline'" not in policy["default-src"]
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"


def test_the_signed_in_pages_answer_normally_under_production_settings(responses):
    assert [responses[p]["status"] for p in PAGES[1:]] == [200, 200, 200, 200, 404]


def test_cookies_are_secure_http_only_and_same_site(responses):
    assert responses["signed-in"]["status"] == 302
    cookies = {
        **responses["sign-in"]["cookies"],
        **responses["signed-in"]["cookies"],
        **responses["/"]["cookies"],
    }
    assert set(cookies) >= {"__Host-csrftoken", "__Host-sessionid"}
    for name, cookie in cookies.items():
        assert cookie["secure"] is True, name
        assert cookie["httponly"] is True, name
        assert cookie["samesite"] in {"Lax", "Strict"}, name
