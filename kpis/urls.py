from django.urls import path

from kpis import national_views, views

app_name = "kpis"

urlpatterns = [
    path("indicators/", views.indicator_list, name="indicators"),
    path("indicators/new/", views.indicator_create, name="indicator_create"),
    path("indicators/<int:pk>/", views.indicator_detail, name="indicator"),
    path("indicators/<int:pk>/edit/", views.indicator_edit, name="indicator_edit"),
    path("indicators/<int:pk>/comparators/new/", views.comparator_create, name="comparator_create"),
    path("returns/<int:pk>/<int:period_pk>/", views.return_enter, name="return_enter"),
    path(
        "indicators/<int:pk>/periods/<int:period_pk>/return/check/", views.return_check, name="return_check"
    ),
    path("returns/", views.returns_due, name="returns_due"),
    path("returns/upload/", views.upload, name="upload"),
    path("returns/upload/preview/", views.upload_preview, name="upload_preview"),
    path("returns/upload/cancel/", views.upload_cancel, name="upload_cancel"),
    path("returns/upload/template.csv", views.template_csv, name="template_csv"),
    path("returns/upload/template.xlsx", views.template_xlsx, name="template_xlsx"),
    path("verify/", views.verify_list, name="verify_list"),
    path("verify/<int:pk>/", views.verify_return, name="verify_return"),
    path("periods/", views.periods, name="periods"),
    path("periods/new/", views.period_create, name="period_create"),
    path("periods/<int:pk>/close/", views.period_close, name="period_close"),
    path("indicators/export/", views.export, name="export"),
    path("indicators/export/values.csv", views.export_csv, name="export_csv"),
    path("indicators/export/values.xlsx", views.export_xlsx, name="export_xlsx"),
    path("indicators/export/values.json", views.export_json, name="export_json"),
    path("national-statistics/", national_views.national_statistics, name="national_statistics"),
    path(
        "national-statistics/check/",
        national_views.national_statistics_check,
        name="national_statistics_check",
    ),
    path(
        "national-statistics/imports/<int:pk>/",
        national_views.national_statistics_import,
        name="national_statistics_import",
    ),
    path(
        "national-statistics/cancel/",
        national_views.national_statistics_cancel,
        name="national_statistics_cancel",
    ),
    path("national-statistics/indicators/", national_views.national_library, name="national_library"),
    path(
        "national-statistics/neighbours/",
        national_views.statistical_neighbours,
        name="statistical_neighbours",
    ),
    path(
        "national-statistics/neighbours/import/",
        national_views.statistical_neighbours_import,
        name="statistical_neighbours_import",
    ),
]
