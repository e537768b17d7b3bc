from django.urls import path

from people import sso, views

app_name = "people"

urlpatterns = [
    path("partnership/people/", views.index, name="index"),
    path("partnership/people/invite/", views.invite, name="invite"),
    path("partnership/people/<int:pk>/", views.person, name="person"),
    path("partnership/people/<int:pk>/roles/", views.change_roles, name="change_roles"),
    path("partnership/people/<int:pk>/deactivate/", views.deactivate, name="deactivate"),
    path("partnership/people/<int:pk>/reactivate/", views.reactivate, name="reactivate"),
    path("partnership/people/<int:pk>/reset-two-factor/", views.reset_two_factor, name="reset_two_factor"),
    path("partnership/people/<int:pk>/unlock/", views.unlock, name="unlock"),
    path("partnership/invitations/<int:pk>/send-again/", views.invitation_resend, name="invitation_resend"),
    path("partnership/invitations/<int:pk>/withdraw/", views.invitation_revoke, name="invitation_revoke"),
    path("partnership/organisations/add/", views.organisation_add, name="organisation_add"),
    path("partnership/organisations/<int:pk>/rename/", views.organisation_rename, name="organisation_rename"),
    path(
        "partnership/organisations/<int:pk>/deactivate/",
        views.organisation_deactivate,
        name="organisation_deactivate",
    ),
    path(
        "partnership/organisations/<int:pk>/reactivate/",
        views.organisation_reactivate,
        name="organisation_reactivate",
    ),
    path("join/<str:token>/", views.join, name="join"),
    path("sign-in/organisation/<int:pk>/", sso.sso_start, name="sso_start"),
    path("sign-in/organisation/callback/", sso.SSOCallbackView.as_view(), name="sso_callback"),
    path("sign-in/organisation/not-signed-in/", sso.sso_refused, name="sso_refused"),
    path("operators/partnerships/", views.partnerships, name="partnerships"),
    path("operators/partnerships/new/", views.partnership_create, name="partnership_create"),
]
