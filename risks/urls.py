from django.urls import path

from risks import views

app_name = "risks"

urlpatterns = [
    path("", views.index, name="index"),
    path("add/", views.risk_add, name="add"),
    path("matrix/", views.matrix, name="matrix"),
    path("export.csv", views.export_csv, name="export_csv"),
    path("export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("<int:pk>/", views.risk, name="risk"),
    path("<int:pk>/change/", views.risk_edit, name="edit"),
    path("<int:pk>/rescore/", views.risk_rescore, name="rescore"),
    path("<int:pk>/escalate/", views.risk_escalate, name="escalate"),
    path("<int:pk>/close/", views.risk_close, name="close"),
    path("<int:pk>/reopen/", views.risk_reopen, name="reopen"),
]
