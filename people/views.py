import time
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_GET, require_POST

from core import views as core_views
from core.http import PortalRequest
from core.middleware import SIGNED_IN_AT
from core.models import Organisation, User
from core.pages import apply_errors, confirm_page, form_page
from core.permissions import permission_required
from core.selectors import organisation_in
from people import selectors, services, sso
from people.forms import (
    InviteForm,
    JoinForm,
    NewPasswordForm,
    OrganisationForm,
    PartnershipForm,
    PasswordResetRequestForm,
    RenameForm,
    RolesForm,
)
from people.models import Invitation
from people.tokens import invitation_for_token

PASSWORD_BACKEND = "django.contrib.auth.backends.ModelBackend"
ViewFunc = Callable[..., HttpResponseBase]


def operator_required(view: ViewFunc) -> ViewFunc:
    """Site operators only; everyone else signed in gets 403, whatever their partnership role."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.has_perm("core.operate_site"):
            raise PermissionDenied("Only site operators may open this page.")
        return view(request, *args, **kwargs)

    return wrapped


def people_url() -> str:
    return reverse("people:index")


# Signing in


class SignInView(core_views.SignInView):
    """The sign-in page finds the e-mail domain's identity provider, and sends its people there instead."""

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        email = request.POST.get("username", "").strip()
        provider = sso.provider_for_email(email)
        if provider is None:
            return super().post(request, *args, **kwargs)
        return render(
            request,
            "people/sso_continue.html",
            {
                "provider": provider,
                "email": email.rpartition("@")[2],
                "start_url": sso_start_url(provider, core_views.next_url(request)),
            },
        )


def sso_start_url(provider: Any, next_path: str) -> str:
    return f"{reverse('people:sso_start', args=[provider.pk])}?{urlencode({'next': next_path})}"


# People


@require_GET
@permission_required("people.manage_people")
def index(request: PortalRequest) -> HttpResponse:
    return render(
        request,
        "people/index.html",
        {
            "people": selectors.people_in(request.partnership),
            "invitations": selectors.open_invitations(request.partnership),
        },
    )


@permission_required("people.manage_people")
def invite(request: PortalRequest) -> HttpResponse:
    form = InviteForm(request.POST or None, partnership=request.partnership)
    links: list[tuple[str, str]] = []
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                actor=request.user, partnership=request.partnership, **form.cleaned_data
            )
        except ValidationError as error:
            links = instead_of_inviting(error)
            apply_errors(form, error)
        else:
            messages.success(request, f"Invitation sent to {invitation.email}")
            return redirect("people:index")
    return form_page(
        request,
        form,
        heading="Invite a person",
        caption="People",
        back=(people_url(), "People"),
        submit_label="Send invitation",
        links=links,
    )


def instead_of_inviting(refusal: ValidationError) -> list[tuple[str, str]]:
    """Where to go when the service refused the address as here already (services.invitation_open): the person's
    roles, or their invitation in the list."""
    for reason in getattr(refusal, "error_dict", {}).get("email", []):
        if reason.code == "has_a_role":
            return [roles_link(reason.params["person"])]
        if reason.code == "invited":
            return [(invitations_url(), "Send the invitation again from the list of invitations")]
    return []


def roles_link(person: User) -> tuple[str, str]:
    return reverse("people:change_roles", args=[person.pk]), f"Change the roles of {person.get_full_name()}"


def invitations_url() -> str:
    return f"{people_url()}#invitations"


@require_GET
@permission_required("people.manage_people")
def person(request: PortalRequest, pk: int) -> HttpResponse:
    from django_otp.plugins.otp_totp.models import TOTPDevice

    found = selectors.person_in(request.partnership, pk)
    return render(
        request,
        "people/person.html",
        {
            "person": found,
            "has_authenticator": TOTPDevice.objects.filter(user=found.user, confirmed=True).exists(),
            "is_self": found.user.pk == request.user.pk,
        },
    )


@permission_required("people.manage_people")
def change_roles(request: PortalRequest, pk: int) -> HttpResponse:
    found = selectors.person_in(request.partnership, pk)
    form = RolesForm(
        request.POST or None,
        partnership=request.partnership,
        initial={"organisation": found.organisation.pk, "roles": found.roles},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.person_set_roles(
                actor=request.user, partnership=request.partnership, person=found.user, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Roles of {found.user} saved")
            return redirect("people:person", pk=pk)
    return form_page(
        request,
        form,
        heading=f"Change the roles of {found.user}",
        caption="People",
        back=(reverse("people:person", args=[pk]), str(found.user)),
    )


def confirm_then(
    request: PortalRequest, act: Callable[[], object], *, done: str, done_url: str, **page: Any
) -> HttpResponse:
    """A confirmation page; on POST the change, or the service's reason for refusing it shown on the page."""
    error = ""
    if request.method == "POST":
        try:
            act()
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            messages.success(request, done)
            return redirect(done_url)
    return confirm_page(request, error=error, **page)


def person_action(
    service: Callable[..., object], *, heading: str, text: str, button: str, done: str
) -> ViewFunc:
    """A confirmation page, then a change to one person."""

    @permission_required("people.manage_people")
    def view(request: PortalRequest, pk: int) -> HttpResponse:
        found = selectors.person_in(request.partnership, pk)
        name = str(found.user)
        return confirm_then(
            request,
            lambda: service(actor=request.user, partnership=request.partnership, person=found.user),
            done=done.format(name=name),
            done_url=reverse("people:person", args=[pk]),
            heading=heading.format(name=name),
            caption="People",
            text=text.format(name=name),
            button=button,
            back=(reverse("people:person", args=[pk]), name),
        )

    return view


deactivate = person_action(
    services.person_deactivate,
    heading="Deactivate {name}",
    text="{name} will be signed out at once and will not be able to sign in. What they wrote stays in the portal, "
    "under their name. You can reactivate them later.",
    button="Deactivate",
    done="{name} is deactivated and has been signed out",
)
reactivate = person_action(
    services.person_reactivate,
    heading="Reactivate {name}",
    text="{name} will be able to sign in again with their roles in the partnership.",
    button="Reactivate",
    done="{name} can sign in again",
)
reset_two_factor = person_action(
    services.person_reset_two_factor,
    heading="Reset two-factor sign-in for {name}",
    text="{name} will be signed out at once. When they next sign in, they must set up an authenticator app "
    "again. Their old recovery codes stop working.",
    button="Reset two-factor sign-in",
    done="Two-factor sign-in reset for {name}: they set it up again when they next sign in",
)
unlock = person_action(
    services.person_unlock,
    heading="Unlock sign-in for {name}",
    text="{name} was locked out after too many failed attempts to sign in. Unlocking lets them try again now "
    "rather than in 15 minutes. If they have forgotten their password, they can reset it from the sign-in page.",
    button="Unlock",
    done="{name} can try to sign in again",
)


# Invitations


@require_POST
@permission_required("people.manage_people")
def invitation_resend(request: PortalRequest, pk: int) -> HttpResponse:
    invitation = selectors.invitation_in(request.partnership, pk)
    try:
        services.invitation_resend(actor=request.user, invitation=invitation)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"Invitation sent again to {invitation.email}")
    return redirect("people:index")


@permission_required("people.manage_people")
def invitation_revoke(request: PortalRequest, pk: int) -> HttpResponse:
    invitation = selectors.invitation_in(request.partnership, pk)
    return confirm_then(
        request,
        lambda: services.invitation_revoke(actor=request.user, invitation=invitation),
        done=f"Invitation for {invitation.email} withdrawn",
        done_url=people_url(),
        heading=f"Withdraw the invitation for {invitation.full_name}",
        caption="People",
        text=f"The link sent to {invitation.email} will stop working. You can invite them again later.",
        button="Withdraw invitation",
        back=(people_url(), "People"),
    )


def join(request: HttpRequest, token: str) -> HttpResponse:
    """Where the invitation's link leads: a new account with a password, or acceptance by someone signed in."""
    invitation = invitation_for_token(token)
    if invitation is None:
        return render(
            request,
            "people/join_unusable.html",
            {
                "reason": "This link does not work: it may have been "
                "replaced by a newer invitation. Use the link in the newest e-mail, or ask your partnership admin."
            },
            status=404,
        )
    if invitation.status != Invitation.Status.PENDING:
        return render(
            request, "people/join_unusable.html", {"reason": services.INVITATION_REFUSALS[invitation.status]}
        )
    user = request.user
    if user.is_authenticated:
        return join_signed_in(request, invitation, user)
    if User.objects.filter(email=invitation.email).exists():
        return render(request, "people/join_existing.html", {"invitation": invitation, "next": request.path})
    form = JoinForm(request.POST or None, email=invitation.email, initial={"full_name": invitation.full_name})
    provider = sso.provider_for_email(invitation.email)
    if provider is not None and provider.partnership_id != invitation.partnership_id:
        provider = None
    if request.method == "POST" and form.is_valid():
        try:
            new_user = services.invitation_accept_with_password(
                invitation=invitation,
                full_name=form.cleaned_data["full_name"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            login(request, new_user, backend=PASSWORD_BACKEND)
            request.session[SIGNED_IN_AT] = time.time()
            messages.success(request, f"Welcome to the {invitation.partnership.name}")
            return redirect("two_factor_setup")
    context = {"invitation": invitation, "form": form, "sso_provider": provider}
    if provider is not None:
        context["sso_url"] = sso_start_url(provider, reverse("home"))
    return render(request, "people/join.html", context, status=400 if form.errors else 200)


def join_signed_in(request: HttpRequest, invitation: Invitation, user: User) -> HttpResponse:
    if user.email != invitation.email:
        return render(request, "people/join_other_account.html", {"invitation": invitation})
    error = ""
    if request.method == "POST":
        try:
            services.invitation_accept(invitation=invitation, user=user)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            messages.success(request, f"You have joined the {invitation.partnership.name}")
            return redirect("home")
    return render(
        request,
        "people/join_accept.html",
        {"invitation": invitation, "error": error},
        status=400 if error else 200,
    )


# Organisations


@permission_required("people.manage_people")
def organisation_add(request: PortalRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None, partnership=request.partnership)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_add(
                actor=request.user, partnership=request.partnership, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{organisation} added")
            return redirect("core:organisation_detail", pk=organisation.pk)
    return form_page(
        request,
        form,
        heading="Add an organisation",
        caption="Organisations",
        back=(reverse("core:organisations"), "Organisations and people"),
        submit_label="Add organisation",
    )


@permission_required("people.manage_people")
def organisation_rename(request: PortalRequest, pk: int) -> HttpResponse:
    organisation = organisation_in(request.partnership, pk)
    form = RenameForm(request.POST or None, initial={"name": organisation.name})
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_rename(
                actor=request.user, organisation=organisation, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Renamed to {organisation}")
            return redirect("core:organisation_detail", pk=pk)
    return form_page(
        request,
        form,
        heading=f"Rename {organisation}",
        caption="Organisations",
        back=(reverse("core:organisation_detail", args=[pk]), str(organisation)),
    )


@permission_required("people.manage_people")
def organisation_deactivate(request: PortalRequest, pk: int) -> HttpResponse:
    organisation = organisation_in(request.partnership, pk)
    page: dict[str, Any] = {
        "heading": f"Deactivate {organisation}",
        "caption": "Organisations",
        "back": (reverse("core:organisation_detail", args=[pk]), str(organisation)),
    }
    # Where it would be refused, the page says why at once rather than offer a button that cannot work.
    refusal = "" if request.method == "POST" else services.organisation_deactivation_refusal(organisation)
    if refusal:
        return confirm_page(
            request,
            text=f"It cannot be deactivated yet: {refusal}.",
            button="",
            links=where_to_put_right(organisation),
            **page,
        )
    return confirm_then(
        request,
        lambda: services.organisation_deactivate(actor=request.user, organisation=organisation),
        done=f"{organisation} is deactivated",
        done_url=reverse("core:organisation_detail", args=[pk]),
        text="It stays in the partnership's history, with the indicators and actions it owned, but no one can be "
        "given a role in it, and it is not offered as the owner of new actions or indicators. You can reactivate "
        "it later.",
        button="Deactivate",
        **page,
    )


# More people than this are found in the list of people rather than linked one by one.
PEOPLE_LINKED = 10


def where_to_put_right(organisation: Organisation) -> list[tuple[str, str]]:
    """What stops an organisation being deactivated (services.organisation_deactivation_refusal): each person with a
    role for it, or else its invitations."""
    people = list(selectors.people_with_a_role_for(organisation)[: PEOPLE_LINKED + 1])
    if len(people) > PEOPLE_LINKED:
        return [(people_url(), f"Find the people of {organisation} in the list of people")]
    if people:
        return [roles_link(person) for person in people]
    if selectors.waiting_invitations_for(organisation).exists():
        return [(invitations_url(), "Withdraw the invitation from the list of invitations")]
    return []


@permission_required("people.manage_people")
def organisation_reactivate(request: PortalRequest, pk: int) -> HttpResponse:
    organisation = organisation_in(request.partnership, pk)
    return confirm_then(
        request,
        lambda: services.organisation_reactivate(actor=request.user, organisation=organisation),
        done=f"{organisation} is active again",
        done_url=reverse("core:organisation_detail", args=[pk]),
        heading=f"Reactivate {organisation}",
        caption="Organisations",
        text="People can be given a role in it again, and it can own actions and indicators.",
        button="Reactivate",
        back=(reverse("core:organisation_detail", args=[pk]), str(organisation)),
        removes=False,
    )


# Site operators


@require_GET
@operator_required
def partnerships(request: HttpRequest) -> HttpResponse:
    return render(request, "people/partnerships.html", {"partnerships": selectors.partnerships_overview()})


@operator_required
def partnership_create(request: HttpRequest) -> HttpResponse:
    form = PartnershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            partnership = services.partnership_create(
                actor=request.user,  # type: ignore[arg-type]
                ons_code=data["local_authority"],
                name=data["name"],
                organisation_name=data["organisation_name"],
                admin_email=data["admin_email"],
                admin_name=data["admin_name"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"{partnership} created: its first admin has been sent an invitation")
            return redirect("people:partnerships")
    return form_page(
        request,  # type: ignore[arg-type]
        form,
        heading="Create a partnership",
        caption="Site operators",
        back=(reverse("people:partnerships"), "Partnerships"),
        submit_label="Create partnership",
    )


# Password reset


def password_reset(request: HttpRequest) -> HttpResponse:
    """The same answer whether or not an account uses the address, so the page tells no one who has one."""
    form = PasswordResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.password_reset_request(email=form.cleaned_data["email"])
        request.session["password_reset_email"] = form.cleaned_data["email"]
        return redirect("password_reset_sent")
    return render(
        request, "registration/password_reset.html", {"form": form}, status=400 if form.errors else 200
    )


@require_GET
def password_reset_sent(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "registration/password_reset_sent.html",
        {"email": request.session.get("password_reset_email", "")},
    )


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Choosing a new password changes the hash every other session was signed with, so they all end."""

    form_class = NewPasswordForm
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_complete")


@require_GET
def password_reset_complete(request: HttpRequest) -> HttpResponse:
    return render(request, "registration/password_reset_complete.html")
