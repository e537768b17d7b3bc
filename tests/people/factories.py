import secrets

import factory
from django.utils import timezone

from core.models import Role
from people.models import INVITATION_LIFETIME, IdentityProvider, Invitation
from tests.factories import OrganisationFactory, UserFactory


class InvitationFactory(factory.django.DjangoModelFactory):
    """An invitation waiting to be accepted, as an admin's invitation leaves it."""

    class Meta:
        model = Invitation

    organisation = factory.SubFactory(OrganisationFactory)
    partnership = factory.SelfAttribute("organisation.partnership")
    email = factory.Sequence(lambda n: f"invited{n}@example.test")
    full_name = factory.Sequence(lambda n: f"Invited Person {n}")
    roles = factory.LazyFunction(lambda: [Role.OFFICER.value])
    nonce = factory.LazyFunction(lambda: secrets.token_hex(16))
    expires_at = factory.LazyFunction(lambda: timezone.now() + INVITATION_LIFETIME)


class OperatorFactory(UserFactory):
    """A site operator: staff with every Django admin permission, and no role in any partnership."""

    is_staff = True
    is_superuser = True
    email = factory.Sequence(lambda n: f"operator{n}@example.test")


class IdentityProviderFactory(factory.django.DjangoModelFactory):
    """An organisation's sign-in as registered in Django admin; the browser tests register a running one."""

    class Meta:
        model = IdentityProvider

    name = "Council account"
    email_domains = "council.example"
    issuer = "https://login.council.example/tenant/v2.0"
    authorization_endpoint = "https://login.council.example/tenant/oauth2/v2.0/authorize"
    token_endpoint = "https://login.council.example/tenant/oauth2/v2.0/token"
    jwks_endpoint = "https://login.council.example/tenant/discovery/v2.0/keys"
    client_id = "portal"
    client_secret = "secret"
