from django.urls import path

from core import views

app_name = "core"

urlpatterns = [
    path("partnership/organisations/", views.organisations, name="organisations"),
    path("partnership/organisations/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("partnership/switch/", views.switch_partnership, name="switch_partnership"),
]
