from django.urls import path

from dashboards import views

app_name = "boards"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("recommendations/<int:pk>/", views.recommendation, name="recommendation"),
    path(
        "recommendations/<int:pk>/actions.csv",
        views.recommendation_export,
        {"file_format": "csv"},
        name="recommendation_csv",
    ),
    path(
        "recommendations/<int:pk>/actions.xlsx",
        views.recommendation_export,
        {"file_format": "xlsx"},
        name="recommendation_xlsx",
    ),
    path("indicators/<int:pk>/", views.indicator, name="indicator"),
    path("indicators/<int:pk>/values.csv", views.indicator_csv, name="indicator_csv"),
]
