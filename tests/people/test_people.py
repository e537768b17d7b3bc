"""People pages for partnership admins: invitations, roles, deactivation, two-factor resets and unlocking."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from core.models import AuditEvent, Membership, OutboxJob, Role, User
from people import services
from people.models import Invitation
from people.tokens import invitation_for_token, invitation_token
from tests.actions.factories import RecommendationFactory
from tests.conftest import sign_in
from tests.factories import PASSWORD, OrganisationFactory, member
from tests.people.factories import InvitationFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-new-password-9876"


def invite(client, site, **overrides):
    data = {
        "full_name": "Sam Example",
        "email": "Sam@Example.test",
        "organisation": site.council.pk,
        "roles": [Role.OFFICER, Role.LEAD],
        **overrides,
    }
    return client.post(reverse("people:invite"), data)


def test_an_admin_invites_a_person_and_the_email_goes_through_the_outbox(
    world, signed_in, django_capture_on_commit_callbacks
):
    client = signed_in(world.admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client, world)
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert invitation.email == "sam@example.test"
    assert invitation.roles == [Role.OFFICER, Role.LEAD]
    assert OutboxJob.objects.get().task_name == "people.send_invitation"
    [message] = mail.outbox
    assert message.to == ["sam@example.test"]
    assert f"as officer and recommendation lead for {world.council}" in message.body
    token = re.search(r"/join/([^/\s]+)/", message.body).group(1)
    assert invitation_for_token(token) == invitation
    assert AuditEvent.objects.filter(verb="created", object_type="people.invitation").exists()


def test_an_officer_cannot_invite_and_an_admin_can(world):
    with pytest.raises(PermissionDenied):
        services.invitation_create(
            actor=world.officer,
            partnership=world.partnership,
            email="x@example.test",
            full_name="X",
            organisation=world.council,
            roles=[Role.OFFICER],
        )
    services.invitation_create(
        actor=world.admin,
        partnership=world.partnership,
        email="x@example.test",
        full_name="X",
        organisation=world.council,
        roles=[Role.OFFICER],
    )
    assert Invitation.objects.filter(email="x@example.test").exists()


def test_an_invitation_form_with_mistakes_says_what_to_fix_and_keeps_what_was_typed(world, signed_in):
    client = signed_in(world.admin)
    response = invite(client, world, email="not an address", roles=[])
    page = response.content.decode()
    assert response.status_code == 400
    assert "Enter an e-mail address in the correct format, like name@example.org" in page
    assert "Choose at least one role" in page
    assert 'value="Sam Example"' in page
    assert not Invitation.objects.exists()


def test_a_name_longer_than_allowed_is_refused_in_full_rather_than_cut_by_the_browser(world, signed_in):
    client = signed_in(world.admin)
    form = client.get(reverse("people:invite")).content.decode()
    too_long = "Samantha " * 20  # 180 characters, where 150 are allowed

    response = invite(client, world, full_name=too_long.strip())

    assert (
        'name="full_name"' in form and "maxlength" not in form
    )  # a browser would cut the paste without a word
    assert response.status_code == 400
    page = response.content.decode()
    assert page.count(">Full name must be 150 characters or fewer</a>") == 1
    assert f'value="{too_long.strip()}"' in page
    assert not Invitation.objects.exists()


def test_someone_who_already_has_a_role_or_an_invitation_is_not_invited_twice(world, signed_in):
    client = signed_in(world.admin)
    response = invite(client, world, email=world.officer.email.upper())
    page = response.content.decode()
    assert "already has a role in the partnership" in page
    roles = reverse("people:change_roles", args=[world.officer.pk])
    assert f'<a class="govuk-link" href="{roles}">Change the roles of Olu Officer</a>' in page
    assert invite(client, world).status_code == 302
    response = invite(client, world)
    page = response.content.decode()
    assert "has already been invited: send their invitation again" in page
    invitations = reverse("people:index") + "#invitations"
    assert f'href="{invitations}">Send the invitation again from the list of invitations</a>' in page
    assert 'id="invitations"' in client.get(reverse("people:index")).content.decode()
    assert Invitation.objects.count() == 1


def test_an_invitation_refused_for_another_reason_offers_no_other_way(world, signed_in):
    client = signed_in(world.admin)
    # The address is someone's already, but the form is refused first for its roles: the link would answer nothing.
    response = invite(client, world, email=world.officer.email, roles=[])
    assert response.status_code == 400
    assert "Choose at least one role" in response.content.decode()
    assert "Change the roles of" not in response.content.decode()
    assert "list of invitations</a>" not in response.content.decode()


def test_the_invitee_chooses_a_password_then_must_set_up_two_factor(world, client):
    invitation = InvitationFactory(organisation=world.council, invited_by=world.admin, roles=[Role.BOARD])
    url = reverse("people:join", args=[invitation_token(invitation)])
    page = client.get(url).content.decode()
    assert "Board member for Council" in page
    response = client.post(url, {"full_name": "Robin Reader", "password1": "short", "password2": "short"})
    assert response.status_code == 400
    assert "This password is too short" in response.content.decode()
    response = client.post(
        url, {"full_name": "Robin Reader", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )
    assert response["Location"] == reverse("two_factor_setup")
    user = User.objects.get(email=invitation.email)
    assert user.full_name == "Robin Reader"
    assert list(user.memberships.values_list("role", "organisation")) == [(Role.BOARD, world.council.pk)]
    # Signed in with the password only: every page asks for the authenticator app first.
    assert client.get(reverse("home"))["Location"].startswith(reverse("two_factor_setup"))
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.ACCEPTED
    assert "already been used" in Client().get(url).content.decode()


def test_someone_with_an_account_accepts_by_signing_in_as_the_invited_address(world):
    other = member(Role.OFFICER, OrganisationFactory(), email="both@example.test")
    invitation = InvitationFactory(organisation=world.council, email="both@example.test")
    url = reverse("people:join", args=[invitation_token(invitation)])
    assert "Sign in to accept" in Client().get(url).content.decode()
    wrong = sign_in(Client(), world.officer)
    assert "invitation is for someone else" in wrong.get(url).content.decode()
    assert wrong.post(url).status_code == 200
    assert world.officer.memberships.count() == 1
    assert Invitation.objects.get().status == Invitation.Status.PENDING
    right = sign_in(Client(), other)
    assert right.post(url)["Location"] == reverse("home")
    assert Membership.objects.filter(user=other, partnership=world.partnership).exists()


def test_a_resent_invitation_replaces_the_old_link_and_a_withdrawn_or_expired_one_stops_working(
    world, signed_in, client
):
    invitation = InvitationFactory(organisation=world.council)
    old_url = reverse("people:join", args=[invitation_token(invitation)])
    admin = sign_in(Client(), world.admin)
    admin.post(reverse("people:invitation_resend", args=[invitation.pk]))
    invitation.refresh_from_db()
    assert client.get(old_url).status_code == 404
    new_url = reverse("people:join", args=[invitation_token(invitation)])
    assert "Create account" in client.get(new_url).content.decode()

    Invitation.objects.filter(pk=invitation.pk).update(expires_at=timezone.now() - timedelta(minutes=1))
    assert "has expired" in client.get(new_url).content.decode()
    admin.post(reverse("people:invitation_resend", args=[invitation.pk]))
    invitation.refresh_from_db()
    assert invitation.status == Invitation.Status.PENDING

    admin.post(reverse("people:invitation_revoke", args=[invitation.pk]))
    assert (
        "was withdrawn"
        in client.get(reverse("people:join", args=[invitation_token(invitation)])).content.decode()
    )
    assert not Membership.objects.filter(user__email=invitation.email).exists()


def test_the_people_page_lists_people_and_open_invitations_in_few_queries(
    world, signed_in, django_assert_max_num_queries
):
    InvitationFactory(organisation=world.council, full_name="Ivy Invited")
    client = signed_in(world.admin)
    with django_assert_max_num_queries(14):
        page = client.get(reverse("people:index")).content.decode()
    for _ in range(10):
        member(Role.OFFICER, world.council)
        InvitationFactory(organisation=world.council)
    with django_assert_max_num_queries(14):
        client.get(reverse("people:index"))
    assert "Olu Officer" in page
    assert "Ivy Invited" in page
    assert world.stranger.get_full_name() not in page


def test_an_admin_changes_a_persons_roles_and_organisation(world, signed_in):
    trust = OrganisationFactory(partnership=world.partnership, name="Trust")
    client = signed_in(world.admin)
    url = reverse("people:change_roles", args=[world.officer.pk])
    response = client.post(url, {"organisation": trust.pk, "roles": [Role.BOARD, Role.OFFICER]})
    assert response.status_code == 302
    assert sorted(world.officer.memberships.values_list("role", "organisation")) == [
        (Role.BOARD, trust.pk),
        (Role.OFFICER, trust.pk),
    ]
    event = AuditEvent.objects.get(verb="changed roles")
    assert event.before == {"organisation": "Council", "roles": [Role.OFFICER]}


def test_an_admin_cannot_remove_their_own_admin_role_or_a_lead_who_leads_a_recommendation(world, signed_in):
    client = signed_in(world.admin)
    response = client.post(
        reverse("people:change_roles", args=[world.admin.pk]),
        {"organisation": world.council.pk, "roles": ["board"]},
    )
    assert "You cannot remove your own admin role" in response.content.decode()
    response = client.post(
        reverse("people:change_roles", args=[world.lead.pk]),
        {"organisation": world.council.pk, "roles": ["board"]},
    )
    assert (
        "leads recommendation 2: choose another lead for it on the action plan" in response.content.decode()
    )
    assert world.lead.memberships.get().role == Role.LEAD


def test_a_lead_of_several_recommendations_is_told_them_in_a_sentence(world, signed_in):
    lead = Membership.objects.get(user=world.lead, role=Role.LEAD)
    for number in (17, 9):
        RecommendationFactory(plan=world.recommendation.plan, number=number, lead=lead)
    client = signed_in(world.admin)

    response = client.post(
        reverse("people:change_roles", args=[world.lead.pk]),
        {"organisation": world.council.pk, "roles": ["board"]},
    )

    assert "leads recommendations 2, 9 and 17: choose another lead for each on the action plan" in (
        response.content.decode()
    )


def test_a_deactivated_person_is_signed_out_at_once_and_cannot_sign_in(world, signed_in):
    officer = sign_in(Client(), world.officer)
    assert officer.get(reverse("home")).status_code == 200
    admin = signed_in(world.admin)
    response = admin.post(reverse("people:deactivate", args=[world.officer.pk]))
    assert response.status_code == 302
    assert officer.get(reverse("home"))["Location"].startswith(reverse("login"))
    refused = Client()
    refused.post(reverse("login"), {"username": world.officer.email, "password": PASSWORD})
    assert "_auth_user_id" not in refused.session
    world.officer.refresh_from_db()
    assert not world.officer.is_active
    admin.post(reverse("people:reactivate", args=[world.officer.pk]))
    world.officer.refresh_from_db()
    assert world.officer.is_active


def test_an_admin_cannot_deactivate_themselves_or_someone_who_works_in_another_partnership(world, signed_in):
    client = signed_in(world.admin)
    response = client.post(reverse("people:deactivate", args=[world.admin.pk]))
    assert "You cannot deactivate your own account" in response.content.decode()
    other = OrganisationFactory()
    Membership.objects.create(
        user=world.board, partnership=other.partnership, organisation=other, role=Role.BOARD
    )
    response = client.post(reverse("people:deactivate", args=[world.board.pk]))
    assert "also works in another partnership" in response.content.decode()
    assert User.objects.get(pk=world.board.pk).is_active


def test_resetting_two_factor_signs_the_person_out_and_makes_them_set_it_up_again(world, signed_in):
    officer = sign_in(Client(), world.officer)
    StaticDevice.objects.create(user=world.officer, name="Recovery codes")
    admin = signed_in(world.admin)
    admin.post(reverse("people:reset_two_factor", args=[world.officer.pk]))
    assert not TOTPDevice.objects.filter(user=world.officer).exists()
    assert not StaticDevice.objects.filter(user=world.officer).exists()
    assert officer.get(reverse("home"))["Location"].startswith(reverse("login"))
    again = Client()
    again.post(reverse("login"), {"username": world.officer.email, "password": PASSWORD})
    assert again.get(reverse("home"))["Location"].startswith(reverse("two_factor_setup"))
    assert AuditEvent.objects.filter(verb="reset two-factor sign-in", actor=world.admin).exists()


def test_an_admin_unlocks_a_locked_out_person(world, signed_in):
    attempt = Client()
    for _ in range(10):
        attempt.post(reverse("login"), {"username": world.officer.email, "password": "wrong"})
    assert (
        attempt.post(reverse("login"), {"username": world.officer.email, "password": PASSWORD}).status_code
        == 429
    )
    admin = signed_in(world.admin)
    assert "Locked out" in admin.get(reverse("people:person", args=[world.officer.pk])).content.decode()
    admin.post(reverse("people:unlock", args=[world.officer.pk]))
    assert "Can sign in" in admin.get(reverse("people:person", args=[world.officer.pk])).content.decode()
    response = attempt.post(reverse("login"), {"username": world.officer.email, "password": PASSWORD})
    assert response.status_code == 302


def test_an_officer_cannot_unlock_or_reset_anyone(world):
    for service in (services.person_unlock, services.person_reset_two_factor, services.person_deactivate):
        with pytest.raises(PermissionDenied):
            service(actor=world.officer, partnership=world.partnership, person=world.board)
    services.person_unlock(actor=world.admin, partnership=world.partnership, person=world.board)


def test_a_session_signed_in_before_the_generation_existed_stays_signed_in(world):
    """Adding the generation changed no one's session hash: generation 0 is Django's own."""
    client = sign_in(Client(), world.officer)
    assert client.session[DEVICE_ID_SESSION_KEY]
    assert client.get(reverse("home")).status_code == 200


def test_an_organisation_with_many_people_links_to_the_list_of_people_rather_than_to_each(world, signed_in):
    client = signed_in(world.admin)
    large = OrganisationFactory(partnership=world.partnership, name="Large trust")
    for number in range(11):
        member(Role.OFFICER, large, email=f"officer{number}@large.example.test")

    asked = client.get(reverse("people:organisation_deactivate", args=[large.pk])).content.decode()

    assert "11 people have a role for Large trust" in asked
    assert "Change the roles of " not in asked
    assert (
        f'href="{reverse("people:index")}">Find the people of Large trust in the list of people</a>' in asked
    )


def test_organisations_are_added_renamed_and_deactivated_by_admins(world, signed_in):
    client = signed_in(world.admin)
    response = client.post(reverse("people:organisation_add"), {"name": "council", "kind": "council"})
    assert "already has an organisation with this name" in response.content.decode()
    # A name taken and no kind chosen are named together, not one after the other.
    both = client.post(reverse("people:organisation_add"), {"name": "council"})
    assert both.context["form"].errors == {
        "name": ["The partnership already has an organisation with this name"],
        "kind": ["Choose the kind of organisation"],
    }
    client.post(reverse("people:organisation_add"), {"name": "Healthwatch", "kind": "other_public"})
    healthwatch = world.partnership.organisations.get(name="Healthwatch")
    client.post(
        reverse("people:organisation_rename", args=[healthwatch.pk]), {"name": "Healthwatch Southend"}
    )
    healthwatch.refresh_from_db()
    assert healthwatch.name == "Healthwatch Southend"
    response = client.post(reverse("people:organisation_deactivate", args=[world.council.pk]))
    assert "give them another organisation first" in response.content.decode()
    client.post(reverse("people:organisation_deactivate", args=[healthwatch.pk]))
    healthwatch.refresh_from_db()
    assert not healthwatch.is_active
    form = client.get(reverse("people:invite")).content.decode()
    assert f'<option value="{healthwatch.pk}">' not in form
    assert f'<option value="{world.council.pk}">' in form
    with pytest.raises(ValidationError):
        services.invitation_create(
            actor=world.admin,
            partnership=world.partnership,
            email="late@example.test",
            full_name="Late",
            organisation=healthwatch,
            roles=[Role.OFFICER],
        )
    assert set(AuditEvent.objects.filter(object_type="core.organisation").values_list("verb", flat=True)) == {
        "created",
        "renamed",
        "deactivated",
    }


def test_an_organisation_people_still_work_for_is_not_offered_for_deactivation_and_another_can_come_back(
    world, signed_in
):
    client = signed_in(world.admin)
    asked = client.get(reverse("people:organisation_deactivate", args=[world.council.pk])).content.decode()
    assert "It cannot be deactivated yet: " in asked and "give them another organisation first" in asked
    assert ">Deactivate</button>" not in asked
    people_there = {m.user for m in Membership.objects.filter(organisation=world.council)}
    for person in people_there:
        roles = reverse("people:change_roles", args=[person.pk])
        assert f'href="{roles}">Change the roles of {person.get_full_name()}</a>' in asked
    assert asked.count("Change the roles of ") == len(people_there) == 5
    invited = OrganisationFactory(partnership=world.partnership, name="Invited trust")
    InvitationFactory(organisation=invited, invited_by=world.admin, roles=[Role.BOARD])
    asked = client.get(reverse("people:organisation_deactivate", args=[invited.pk])).content.decode()
    assert "withdraw the invitation first" in asked
    assert "Change the roles of " not in asked
    assert f'href="{reverse("people:index")}#invitations">Withdraw the invitation' in asked
    closed = OrganisationFactory(partnership=world.partnership, name="Closed trust")
    asked = client.get(reverse("people:organisation_deactivate", args=[closed.pk])).content.decode()
    assert "You can reactivate it later." in asked and "Deactivate</button>" in asked
    client.post(reverse("people:organisation_deactivate", args=[closed.pk]))

    detail = client.get(reverse("core:organisation_detail", args=[closed.pk])).content.decode()
    assert reverse("people:organisation_reactivate", args=[closed.pk]) in detail
    response = client.post(reverse("people:organisation_reactivate", args=[closed.pk]))

    assert response.status_code == 302
    closed.refresh_from_db()
    assert closed.is_active
    assert AuditEvent.objects.filter(object_type="core.organisation", verb="reactivated").count() == 1
    with pytest.raises(PermissionDenied):
        services.organisation_reactivate(actor=world.officer, organisation=closed)


def test_another_partnerships_organisation_cannot_be_used_in_an_invitation(world, signed_in):
    elsewhere = OrganisationFactory()
    response = invite(signed_in(world.admin), world, organisation=elsewhere.pk)
    assert response.status_code == 400
    assert "Choose an organisation" in response.content.decode()


def test_a_provider_signs_in_only_its_own_domains_and_skips_the_second_step_only_on_mfa(world):
    from people.sso import provider_for_email
    from tests.people.factories import IdentityProviderFactory

    provider = IdentityProviderFactory(
        partnership=world.partnership, email_domains="council.example, nhs.example"
    )
    assert provider_for_email("Pat@Council.example") == provider
    assert provider_for_email("pat@nhs.example") == provider
    assert provider_for_email("pat@evilcouncil.example") is None
    assert provider_for_email("pat@council.example.org") is None
    assert provider.says_mfa_was_done({"amr": ["pwd", "mfa"]})
    assert not provider.says_mfa_was_done({"amr": ["pwd"]})
    assert not provider.says_mfa_was_done({})
    provider.mfa_acr_values = "urn:council:mfa"
    assert provider.says_mfa_was_done({"acr": "urn:council:mfa"})
    assert not provider.says_mfa_was_done({"acr": "urn:council:password"})
