from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from core import views as core_views

admin.site.site_header = "SEND partnership portal administration"
admin.site.site_title = "SEND partnership portal"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("sign-in/", core_views.SignInView.as_view(), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("sign-in/two-factor/", core_views.two_factor_verify, name="two_factor_verify"),
    path("sign-in/set-up-two-factor/", core_views.two_factor_setup, name="two_factor_setup"),
    path("sign-in/recovery-codes/", core_views.two_factor_recovery_codes, name="two_factor_recovery_codes"),
    path("session/keep-alive/", core_views.keep_alive, name="keep_alive"),
    path("accessibility/", core_views.accessibility, name="accessibility"),
    path("health/", core_views.healthcheck, name="health"),
    path("", include("core.urls")),
    path("plan/", include("actions.urls")),
    path("self-evaluation/", include("sef.urls")),
    path("kpis/", include("dashboards.urls")),
    path("board-packs/", include("reports.urls")),
    path("board/", include("dashboards.board_urls")),
    path("risks/", include("risks.urls")),
    path("django-admin/", admin.site.urls),
]

handler403 = "core.views.permission_denied"
handler404 = "core.views.page_not_found"
handler500 = "core.views.server_error"
