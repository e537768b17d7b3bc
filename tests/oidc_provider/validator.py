from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator

MFA_GROUP = "used-mfa"  # people in this group signed in with a second factor, as Entra ID reports with amr


class Validator(OAuth2Validator):
    """The claims an Entra ID tenant puts in its ID tokens: e-mail, name, and amr (how the person signed in)."""

    oidc_claim_scope = {**OAuth2Validator.oidc_claim_scope, "amr": "openid"}

    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        user = request.user
        used_mfa = user.groups.filter(name=MFA_GROUP).exists()
        return {
            "email": user.email,
            "name": user.get_full_name() or user.username,
            "amr": ["pwd", "mfa"] if used_mfa else ["pwd"],
        }
