from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from core import views as core_views
from people import views as people_views
from public.api import api as public_api

urlpatterns = [
    path("", core_views.home, name="home"),
    path("sign-in/", people_views.SignInView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("sign-in/two-factor/", core_views.two_factor_verify, name="two_factor_verify"),
    path("sign-in/set-up-two-factor/", core_views.two_factor_setup, name="two_factor_setup"),
    path("sign-in/recovery-codes/", core_views.two_factor_recovery_codes, name="two_factor_recovery_codes"),
    path("sign-in/forgotten-password/", people_views.password_reset, name="password_reset"),
    path("sign-in/forgotten-password/sent/", people_views.password_reset_sent, name="password_reset_sent"),
    path(
        "sign-in/new-password/<uidb64>/<token>/",
        people_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("sign-in/new-password/done/", people_views.password_reset_complete, name="password_reset_complete"),
    path("session/keep-alive/", core_views.keep_alive, name="keep_alive"),
    path("accessibility/", core_views.accessibility, name="accessibility"),
    path("health/", core_views.healthcheck, name="health"),
    path("", include("core.urls")),
    path("", include("people.urls")),
    path("plan/", include("actions.urls")),
    path("self-evaluation/", include("sef.urls")),
    path("kpis/", include("kpis.urls")),
    path("board-packs/", include("reports.urls")),
    path("board/", include("dashboards.urls")),
    path("risks/", include("risks.urls")),
    path("", include("public.urls")),
    path("api/", public_api.urls),
    path("django-admin/", admin.site.urls),
]

handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
