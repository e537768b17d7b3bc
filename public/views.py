"""The public pages of each partnership, open to everyone, and the admin's pages for what is public and for
families' feedback. Public pages read through public.selectors, which show only what the last published Board
pack showed."""

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from actions.views import apply_errors
from core.http import PortalRequest
from core.models import Partnership
from core.permissions import permission_required
from public import easy_read, opendata, selectors, services
from public.api import PAGE_SIZE as API_PAGE_SIZE
from public.api import api as public_api
from public.api import endpoints as api_endpoints
from public.forms import (
    HONEYPOT,
    ApiTokenForm,
    FeedbackForm,
    PublicChoicesForm,
    PublishForm,
    ReplyForm,
    time_trap_token,
)
from public.models import PublicChoices
from public.pagecache import cached_for_the_public
from reports.models import Pack


def client_address(request: HttpRequest) -> str:
    """The sender's address as the last trusted proxy saw it (settings.TRUSTED_PROXY_HOPS), for the rate limit."""
    hops = settings.TRUSTED_PROXY_HOPS
    forwarded = [
        part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
    ]
    if hops and len(forwarded) >= hops:
        return forwarded[-hops]
    return str(request.META.get("REMOTE_ADDR", ""))


def public_context(
    partnership: Partnership, choices: PublicChoices, current: str, **extra: Any
) -> dict[str, Any]:
    return {
        "partnership": partnership,
        "choices": choices,
        "current": current,
        "service_name": f"{partnership.short_name} SEND partnership",
        **extra,
    }


def public_page(
    section: str | None, template: str, reads: Callable[..., dict[str, Any]] | None = None
) -> Callable:
    """A cached public page of one section, drawn from the last published pack's data time."""

    @require_GET
    def view(request: HttpRequest, code: str) -> HttpResponse:
        partnership, choices = selectors.public_partnership(code)
        if section:
            selectors.section_shown(choices, section)

        def draw() -> HttpResponse:
            # Read only when drawing: a kept page is named by the board version, which a published pack replaces.
            pack = selectors.last_published_pack(partnership)
            as_at = selectors.pack_data_time(pack)
            extra = reads(partnership, choices, pack, as_at) if reads else {}
            context = public_context(partnership, choices, section or "home", pack=pack, as_at=as_at, **extra)
            return render(request, template, context)

        return cached_for_the_public(request, partnership, draw)

    return view


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "public/index.html", {"published": selectors.publishing_partnerships()})


def home_reads(
    partnership: Partnership, choices: PublicChoices, pack: Pack | None, as_at: datetime | None
) -> dict[str, Any]:
    """The plan's headline, where the admin has made the plan's progress public (its page or the easy read)."""
    if pack is None or not (choices.show_plan or choices.show_easy_read):
        return {}
    return {"headline": easy_read.headline(selectors.published_plan_parts(partnership, as_at))}


home = public_page(None, "public/home.html", home_reads)
plan = public_page(
    "plan", "public/plan.html", lambda p, c, pack, as_at: {"parts": selectors.published_plan_parts(p, as_at)}
)
years = public_page(
    "summaries", "public/years.html", lambda p, c, pack, as_at: {"years": selectors.summaries_by_year(p)}
)
indicators = public_page(
    "indicators",
    "public/indicators.html",
    lambda p, c, pack, as_at: {"figures": selectors.public_figures(c, as_at)},
)
packs = public_page(
    "packs", "public/packs.html", lambda p, c, pack, as_at: {"packs": list(selectors.public_packs(p))}
)
easy_read_page = public_page(
    "easy_read",
    "public/easy_read.html",
    lambda p, c, pack, as_at: {"summary": easy_read.summary(selectors.published_plan_parts(p, as_at))},
)


def public_pack(code: str, pk: int) -> tuple[Partnership, Pack]:
    partnership, choices = selectors.public_partnership(code)
    selectors.section_shown(choices, "packs")
    return partnership, selectors.public_pack_in(partnership, pk)


@require_GET
def pack_pdf(request: HttpRequest, code: str, pk: int) -> FileResponse:
    _, found = public_pack(code, pk)
    return FileResponse(
        found.pdf.open("rb"),
        as_attachment=True,
        filename=f"hwbb-{found.meeting.date:%Y-%m-%d}-pack-v{found.version}.pdf",
        content_type="application/pdf",
    )


@require_GET
def pack_html(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """The pack's web page as published, its links to uploaded appendices pointed at their public copies."""
    partnership, found = public_pack(code, pk)
    with found.html.open("rb") as stored:
        page = stored.read()
    for attachment in found.attachments.all():
        members_link = reverse("reports:pack_attachment", args=[found.pk, attachment.number])
        public_link = reverse(
            "public:pack_attachment", args=[partnership.ons_code, found.pk, attachment.number]
        )
        page = page.replace(f'"{members_link}"'.encode(), f'"{public_link}"'.encode())
    return HttpResponse(page, content_type="text/html; charset=utf-8")


@require_GET
def pack_attachment(request: HttpRequest, code: str, pk: int, number: int) -> FileResponse:
    """An uploaded appendix of a published pack, as the pack holds it."""
    _, found = public_pack(code, pk)
    attachment = selectors.public_attachment(found, number)
    extension = str(attachment.file.name).rsplit(".", 1)[-1]
    return FileResponse(
        attachment.file.open("rb"),
        filename=f"hwbb-{found.meeting.date:%Y-%m-%d}-appendix-{number}.{extension}",
        content_type=attachment.file_type,
    )


# Families' feedback


@require_http_methods(["GET", "POST"])
def feedback(request: HttpRequest, code: str) -> HttpResponse:
    partnership, choices = selectors.public_partnership(code)
    selectors.section_shown(choices, "feedback")
    form = FeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if form.is_from_a_script:
            return redirect("public:feedback_sent", partnership.ons_code)  # nothing kept, nothing said
        try:
            services.feedback_send(
                partnership=partnership,
                kind=form.cleaned_data["kind"],
                message=form.cleaned_data["message"],
                name=form.cleaned_data["name"],
                contact=form.cleaned_data["contact"],
                address=client_address(request),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return redirect("public:feedback_sent", partnership.ons_code)
    context = public_context(
        partnership,
        choices,
        "feedback",
        form=form,
        started=time_trap_token(),
        honeypot=HONEYPOT,
        retention_days=choices.retention_days,
    )
    return render(request, "public/feedback.html", context, status=400 if form.errors else 200)


@require_GET
def feedback_sent(request: HttpRequest, code: str) -> HttpResponse:
    partnership, choices = selectors.public_partnership(code)
    selectors.section_shown(choices, "feedback")
    return render(request, "public/feedback_sent.html", public_context(partnership, choices, "feedback"))


@require_GET
def you_said(request: HttpRequest, code: str) -> HttpResponse:
    partnership, choices = selectors.public_partnership(code)
    selectors.section_shown(choices, "feedback")

    def draw() -> HttpResponse:
        entries = list(selectors.you_said_we_did(partnership))
        context = public_context(partnership, choices, "feedback", entries=entries)
        return render(request, "public/you_said.html", context)

    return cached_for_the_public(request, partnership, draw)


# Open data


def open_data_reads(
    partnership: Partnership, choices: PublicChoices, pack: Pack | None, as_at: Any
) -> dict[str, Any]:
    return {"datasets": opendata.datasets_of(choices)}


data_index = public_page(None, "public/data.html", open_data_reads)


@require_GET
def dataset(request: HttpRequest, code: str, name: str) -> HttpResponse:
    partnership, choices = selectors.public_partnership(code)
    found = opendata.dataset_in(choices, name)

    def draw() -> HttpResponse:
        pack = selectors.last_published_pack(partnership)
        about = opendata.described(found, pack, selectors.pack_data_time(pack))
        context = public_context(partnership, choices, "data", dataset=found, about=about, pack=pack)
        return render(request, "public/dataset.html", context)

    return cached_for_the_public(request, partnership, draw)


@require_GET
def dataset_download(request: HttpRequest, code: str, name: str, file_format: str) -> HttpResponse:
    partnership, choices = selectors.public_partnership(code)
    found = opendata.dataset_in(choices, name)
    return cached_for_the_public(
        request,
        partnership,
        lambda: opendata.download(found, choices, selectors.last_published_pack(partnership), file_format),
    )


# The admin's choice of what is public


@require_http_methods(["GET", "POST"])
@permission_required("public.choose_public_pages")
def choices(request: PortalRequest) -> HttpResponse:
    current = selectors.choices_of(request.partnership)
    form = PublicChoicesForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        try:
            services.public_choices_save(
                actor=request.user, partnership=request.partnership, data=form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, "Your choices are saved. The public pages show them now.")
            return redirect("public:choices")
    return render(
        request,
        "public/choices.html",
        {"form": form, "public_url": reverse("public:home", args=[request.partnership.ons_code])},
        status=400 if form.errors else 200,
    )


# Moderation


@require_GET
@permission_required("public.moderate_feedback")
def moderation(request: PortalRequest) -> HttpResponse:
    return render(
        request,
        "public/moderation.html",
        {
            "waiting": list(selectors.moderation_queue(request.partnership)),
            "done": list(selectors.moderated(request.partnership)[:50]),
        },
    )


def moderation_page(
    request: PortalRequest, item: Any, reply_form: ReplyForm, publish_form: PublishForm
) -> HttpResponse:
    errors = reply_form.errors or publish_form.errors
    return render(
        request,
        "public/moderate.html",
        {
            "item": item,
            "reply_form": reply_form,
            "publish_form": publish_form,
            "form": reply_form if reply_form.errors else publish_form,
        },
        status=400 if errors else 200,
    )


@require_GET
@permission_required("public.moderate_feedback")
def moderate(request: PortalRequest, pk: int) -> HttpResponse:
    item = selectors.feedback_in(request.partnership, pk)
    publish_form = PublishForm(initial={"you_said": item.you_said, "we_did": item.we_did or item.reply})
    return moderation_page(request, item, ReplyForm(initial={"reply": item.reply}), publish_form)


@require_POST
@permission_required("public.moderate_feedback")
def reply(request: PortalRequest, pk: int) -> HttpResponse:
    item = selectors.feedback_in(request.partnership, pk)
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            services.feedback_reply(actor=request.user, feedback=item, reply=form.cleaned_data["reply"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, f"Your reply is on its way to {item.contact}")
            return redirect("public:moderate", item.pk)
    return moderation_page(
        request, item, form, PublishForm(initial={"you_said": item.you_said, "we_did": item.we_did})
    )


@require_POST
@permission_required("public.moderate_feedback")
def publish(request: PortalRequest, pk: int) -> HttpResponse:
    item = selectors.feedback_in(request.partnership, pk)
    form = PublishForm(request.POST)
    if form.is_valid():
        services.feedback_publish(
            actor=request.user,
            feedback=item,
            you_said=form.cleaned_data["you_said"],
            we_did=form.cleaned_data["we_did"],
        )
        messages.success(request, "Published on the 'You said, we did' page")
        return redirect("public:moderation")
    return moderation_page(request, item, ReplyForm(initial={"reply": item.reply}), form)


@require_POST
@permission_required("public.moderate_feedback")
def archive(request: PortalRequest, pk: int) -> HttpResponse:
    item = selectors.feedback_in(request.partnership, pk)
    services.feedback_archive(actor=request.user, feedback=item)
    messages.success(request, "Archived. It is no longer in the queue or on the public pages.")
    return redirect("public:moderation")


# Personal API tokens


@require_http_methods(["GET", "POST"])
@permission_required("public.hold_tokens")
def tokens(request: PortalRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    new_key = ""
    if request.method == "POST" and form.is_valid():
        try:
            _, new_key = services.api_token_create(
                actor=request.user,
                partnership=request.partnership,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            form = ApiTokenForm()
    return render(
        request,
        "public/tokens.html",
        {
            "form": form,
            "new_key": new_key,
            "tokens": list(selectors.tokens_of(request.user, request.partnership)),
        },
        status=400 if form.errors else 200,
    )


@require_POST
@permission_required("public.hold_tokens")
def token_revoke(request: PortalRequest, pk: int) -> HttpResponse:
    token = selectors.token_in(request.partnership, pk)
    if not request.user.has_perm("public.revoke_token", token):
        raise PermissionDenied("Only the person who holds a token, or the partnership admin, may revoke it.")
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, f"“{token.name}” is revoked: it opens nothing from now on")
    return redirect("public:tokens")


@require_GET
def api_reference(request: HttpRequest) -> HttpResponse:
    """The read API described for people, from the same OpenAPI document that programs read."""
    document = public_api.get_openapi_schema(path_prefix="/api")
    return render(
        request,
        "public/api_reference.html",
        {
            "info": document["info"],
            "endpoints": api_endpoints(document),
            "page_size": API_PAGE_SIZE,
            "rates": (settings.API_RATE_ANONYMOUS, settings.API_RATE_TOKEN),
        },
    )


@require_GET
def openapi(request: HttpRequest) -> JsonResponse:
    """The read API's OpenAPI 3 document, written by django-ninja from the API's declarations."""
    return JsonResponse(public_api.get_openapi_schema(path_prefix="/api"))
