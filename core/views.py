import time
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from core import health, selectors, two_factor
from core.forms import SignInForm, TwoFactorCodeForm
from core.middleware import CURRENT_PARTNERSHIP, SIGNED_IN_AT, renew_session
from core.models import Role
from core.navigation import items_for
from core.permissions import permission_required

ROLE_PURPOSE = {
    Role.OFFICER: "Update the RAG status, commentary, milestones and evidence of the actions you own.",
    Role.LEAD: "Review and approve progress updates for your recommendation.",
    Role.BOARD: "Read the partnership's progress: RAG by recommendation, trends and indicators.",
    Role.DEMOCRATIC: "Set Health and Wellbeing Board meetings and produce the report pack.",
    Role.ADMIN: "Manage the partnership's organisations, people, plan, indicators and self-evaluation.",
}


class SignInView(auth_views.LoginView):
    form_class = SignInForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True

    def get(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if request.GET.get("timed_out") and not request.user.is_authenticated:
            messages.info(request, "You were signed out because you did nothing for 30 minutes.")
        return super().get(request, *args, **kwargs)

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_valid(form)
        self.request.session[SIGNED_IN_AT] = time.time()
        return response


@login_required
def home(request: HttpRequest) -> HttpResponse:
    if request.partnership is None:  # type: ignore[attr-defined]
        if request.user.has_perm("core.operate_site"):
            return redirect("people:partnerships")
        return render(request, "core/no_partnership.html", status=403)
    links = items_for(request)
    work = [
        {
            "role": membership.get_role_display(),
            "organisation": membership.organisation,
            "purpose": ROLE_PURPOSE[Role(membership.role)],
        }
        for membership in request.memberships  # type: ignore[attr-defined]
    ]
    return render(request, "core/home.html", {"work": work, "links": links})


@require_POST
@login_required
def switch_partnership(request: HttpRequest) -> HttpResponse:
    wanted = request.POST.get("partnership", "")
    member_of = {str(m.partnership_id): m.partnership for m in request.all_memberships}  # type: ignore[attr-defined]
    if wanted not in member_of:
        raise Http404("No such partnership")
    request.session[CURRENT_PARTNERSHIP] = int(wanted)
    messages.success(request, f"You are now working in {member_of[wanted].name}.")
    return redirect("home")


@permission_required("core.view_partnership")
def organisations(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/organisations.html",
        {
            "organisations": selectors.organisations_in(request.partnership),  # type: ignore[attr-defined]
        },
    )


@permission_required("core.view_partnership")
def organisation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organisation = selectors.organisation_in(request.partnership, pk)  # type: ignore[attr-defined]
    return render(
        request,
        "core/organisation_detail.html",
        {
            "organisation": organisation,
            "members": selectors.organisation_members(organisation),
        },
    )


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


@require_GET
def healthcheck(request: HttpRequest) -> HttpResponseBase:
    report, serving = health.report()
    return JsonResponse(report, status=200 if serving else 503)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    partnership = getattr(request, "partnership", None)
    # The partnership admin is the person the page would send everyone else to: they give roles themselves.
    gives_roles = partnership is not None and request.user.has_perm("people.manage_people", partnership)
    return render(request, "errors/403.html", {"gives_roles": gives_roles}, status=403)


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "errors/404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No request context: the database or a context processor may be what failed.
    from django.template import loader

    return HttpResponse(loader.get_template("errors/500.html").render(), status=500)


RECOVERY_CODES_SESSION_KEY = "new_recovery_codes"


def next_url(request: HttpRequest) -> str:
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return reverse("home")


@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    if two_factor.has_authenticator(user):  # type: ignore[arg-type]
        return redirect(f"{reverse('two_factor_verify')}?{urlencode({'next': next_url(request)})}")
    device = two_factor.pending_authenticator(request, user)  # type: ignore[arg-type]
    form = TwoFactorCodeForm(request.POST or None, label="Enter the 6-digit code your app shows")
    if request.method == "POST" and form.is_valid():
        codes = two_factor.authenticator_confirm(request=request, user=user, code=form.cleaned_data["code"])  # type: ignore[arg-type]
        if codes is not None:
            request.session[RECOVERY_CODES_SESSION_KEY] = codes
            return redirect(
                f"{reverse('two_factor_recovery_codes')}?{urlencode({'next': next_url(request)})}"
            )
        form.add_error(
            "code",
            "The code is not right: check the time on your phone is correct, then enter the newest code",
        )
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "qr_svg": two_factor.qr_code_svg(device),
            "secret": two_factor.secret_for_typing(device),
            "next": next_url(request),
        },
        status=400 if form.errors else 200,
    )


@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    form = TwoFactorCodeForm(
        request.POST or None,
        label="Code from your authenticator app",
        help_text="The 6-digit code your app shows now. If you cannot use the app, enter one of your recovery codes.",
    )
    if request.method == "POST" and form.is_valid():
        if two_factor.verify(request=request, user=request.user, code=form.cleaned_data["code"]):  # type: ignore[arg-type]
            return redirect(next_url(request))
        form.add_error(
            "code", "The code is not right: enter the newest code from your app, or a recovery code"
        )
    return render(
        request,
        "registration/two_factor_verify.html",
        {"form": form, "next": next_url(request)},
        status=400 if form.errors else 200,
    )


@require_GET
@login_required
def two_factor_recovery_codes(request: HttpRequest) -> HttpResponse:
    codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
    if codes is None:
        return redirect(next_url(request))
    return render(request, "registration/recovery_codes.html", {"codes": codes, "next": next_url(request)})


@require_POST
@login_required
def keep_alive(request: HttpRequest) -> HttpResponse:
    """Touching the session renews its 30-minute idle limit (the absolute 12-hour limit still applies)."""
    renew_session(request.session)
    return HttpResponse(status=204)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    return render(request, "errors/csrf.html", status=403)
