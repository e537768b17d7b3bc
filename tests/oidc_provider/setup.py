"""Creates the provider's people and its registration of the portal: python -m tests.oidc_provider.setup <redirect URI>."""

import sys

import django


def main(redirect_uri: str, client_id: str, client_secret: str, password: str) -> None:
    django.setup()
    from django.contrib.auth.models import Group, User
    from oauth2_provider.models import Application

    from tests.oidc_provider.validator import MFA_GROUP

    used_mfa = Group.objects.create(name=MFA_GROUP)
    for username, name, mfa in (
        ("mfa@council.example", "Morgan Multifactor", True),
        ("plain@council.example", "Pat Password", False),
        ("stranger@council.example", "Sam Stranger", True),
    ):
        first, last = name.split(" ")
        user = User.objects.create_user(username, username, password, first_name=first, last_name=last)
        if mfa:
            user.groups.add(used_mfa)
    Application.objects.create(
        name="SEND partnership portal",
        client_id=client_id,
        client_secret=client_secret,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=redirect_uri,
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )


if __name__ == "__main__":
    main(*sys.argv[1:5])
