from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.urls import reverse


class OperatorAdminSite(admin.AdminSite):
    """Django admin lists every partnership's people and data, so it is for site operators only: staff who hold
    no role in any partnership (core.rules.is_operator). Signing in goes through the portal's own page, with
    its second factor."""

    site_header = "SEND partnership portal administration"
    site_title = "SEND partnership portal"

    def has_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("core.operate_site")

    def login(self, request: HttpRequest, extra_context: dict[str, object] | None = None) -> HttpResponse:
        if request.user.is_authenticated:  # signed in, but not an operator
            raise PermissionDenied("Django admin is for site operators only.")
        return redirect_to_login(request.GET.get("next") or self.index_url())

    def index_url(self) -> str:
        return reverse("admin:index", current_app=self.name)
