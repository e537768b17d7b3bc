"""Single sign-on in Chromium against a real OpenID Connect provider (django-oauth-toolkit) started on 127.0.0.1."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import urlparse

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.urls import reverse
from playwright.sync_api import Page, expect

from core.models import AuditEvent, Membership, Role, User
from people.models import IdentityProvider
from people.tokens import invitation_token
from tests.browser.conftest import assert_accessible
from tests.factories import member
from tests.people.factories import InvitationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
PROVIDER_PASSWORD = "provider-password-1234"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_serving(url: str, process: subprocess.Popen[bytes], seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "the identity provider stopped"
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own provider on 127.0.0.1
                return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"the identity provider did not answer at {url}")


@pytest.fixture
def identity_provider(live_server, tmp_path) -> Iterator[SimpleNamespace]:
    """django-oauth-toolkit's OpenID Connect provider in a second Django process, registered with the portal."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key_file = tmp_path / "provider-key.pem"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
        "OIDC_PROVIDER_DB": str(tmp_path / "provider.sqlite3"),
        "OIDC_PROVIDER_KEY": str(key_file),
    }
    env.pop("DATABASE_URL", None)
    callback = f"{live_server.url}{reverse('people:sso_callback')}"
    client_id, client_secret = "send-portal", "a-client-secret-for-tests"
    run = {"cwd": ROOT, "env": env, "check": True, "capture_output": True}
    subprocess.run([sys.executable, "-m", "django", "migrate", "-v0"], **run)  # type: ignore[call-overload]
    subprocess.run(  # type: ignore[call-overload]
        [
            sys.executable,
            "-m",
            "tests.oidc_provider.setup",
            callback,
            client_id,
            client_secret,
            PROVIDER_PASSWORD,
        ],
        **run,
    )
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = (tmp_path / "provider.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "django", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        wait_until_serving(f"{base}/o/.well-known/openid-configuration/", process)
        yield SimpleNamespace(
            base=base,
            issuer=f"{base}/o",
            client_id=client_id,
            client_secret=client_secret,
        )
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture
def council_sign_in(identity_provider, world) -> IdentityProvider:
    """The council's provider, registered for the partnership as a site operator does in Django admin."""
    return IdentityProvider.objects.create(
        partnership=world.partnership,
        name="Council account",
        email_domains="council.example",
        issuer=identity_provider.issuer,
        authorization_endpoint=f"{identity_provider.issuer}/authorize/",
        token_endpoint=f"{identity_provider.issuer}/token/",
        jwks_endpoint=f"{identity_provider.issuer}/.well-known/jwks.json",
        client_id=identity_provider.client_id,
        client_secret=identity_provider.client_secret,
    )


def sign_in_at_provider(page: Page, username: str) -> None:
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisation sign-in")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PROVIDER_PASSWORD)
    page.get_by_role("button", name="Sign in to your organisation").click()


def test_an_invitee_joins_by_single_sign_on_and_the_providers_mfa_stands_for_the_second_step(
    page: Page, world, council_sign_in
):
    invitation = InvitationFactory(
        organisation=world.council, email="mfa@council.example", roles=[Role.LEAD], invited_by=world.admin
    )
    page.goto(reverse("people:join", args=[invitation_token(invitation)]))
    assert_accessible(page, "sso-join")
    page.get_by_role("link", name="Continue with Council account").click()
    sign_in_at_provider(page, "mfa@council.example")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert urlparse(page.url).path == reverse("home")  # no second step in the portal: the token says mfa
    user = User.objects.get(email="mfa@council.example")
    assert user.full_name == "Morgan Multifactor"
    assert not user.has_usable_password()
    assert list(Membership.objects.filter(user=user).values_list("role", flat=True)) == [Role.LEAD]
    assert_accessible(page, "sso-home")

    # Signing out ends the portal's session, though the provider still remembers the person.
    page.get_by_role("button", name="Sign out").first.click()
    page.goto(reverse("home"))
    assert "/sign-in/" in page.url

    # The sign-in page finds the provider from the e-mail domain.
    page.get_by_label("E-mail address").fill("MFA@council.example")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in with your organisation's account")
    assert_accessible(page, "sso-continue")
    page.get_by_role("link", name="Continue with Council account").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert urlparse(page.url).path == reverse("home")
    assert AuditEvent.objects.filter(verb="signed in by single sign-on", object_id=str(user.pk)).count() == 2


def test_without_mfa_in_the_token_the_portal_asks_for_its_own_second_step(page: Page, world, council_sign_in):
    member(Role.OFFICER, world.council, email="plain@council.example")
    page.goto(reverse("login"))
    page.get_by_label("E-mail address").fill("plain@council.example")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Continue with Council account").click()
    sign_in_at_provider(page, "plain@council.example")
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")
    page.goto(reverse("actions:plan"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Set up two-factor sign-in")


def test_nobody_joins_a_partnership_by_signing_in(page: Page, world, council_sign_in):
    page.goto(reverse("login"))
    page.get_by_label("E-mail address").fill("stranger@council.example")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Continue with Council account").click()
    sign_in_at_provider(page, "stranger@council.example")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "You cannot sign in with your organisation's account"
    )
    expect(page.locator("main")).to_contain_text("Ask your partnership admin to invite you")
    assert_accessible(page, "sso-refused")
    assert not User.objects.filter(email="stranger@council.example").exists()
    page.goto(reverse("home"))
    assert "/sign-in/" in page.url
