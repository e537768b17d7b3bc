from django.urls import path

from sef import views

app_name = "sef"

urlpatterns = [
    path("", views.index, name="index"),
    path("new-draft/", views.start_draft, name="start_draft"),
    path("compare/", views.compare, name="compare"),
    path("framework/", views.framework, name="framework"),
    path("judgement-scale/add/", views.judgement_level_add, name="judgement_level_add"),
    path("judgement-scale/<int:pk>/", views.judgement_level_edit, name="judgement_level_edit"),
    path("judgement-scale/<int:pk>/remove/", views.judgement_level_remove, name="judgement_level_remove"),
    path("<int:pk>/", views.version, name="version"),
    path("<int:pk>/part-a/", views.part_a, name="part_a"),
    path("<int:pk>/part-a/<int:order>/edit/", views.section_edit, name="section_edit"),
    path("<int:pk>/areas/<int:number>/", views.area, name="area"),
    path("<int:pk>/areas/<int:number>/edit/", views.area_edit, name="area_edit"),
    path("<int:pk>/part-c/", views.part_c, name="part_c"),
    path("<int:pk>/part-c/<int:number>/<int:order>/edit/", views.priority_edit, name="priority_edit"),
    path("<int:pk>/links/", views.links, name="links"),
    path("<int:pk>/print/", views.print_view, name="print"),
    path("<int:pk>/readiness/", views.readiness, name="readiness"),
    path("<int:pk>/items.csv", views.export, {"file_format": "csv"}, name="export_csv"),
    path("<int:pk>/items.xlsx", views.export, {"file_format": "xlsx"}, name="export_xlsx"),
    path("<int:pk>/submit/", views.submit, name="submit"),
    path("<int:pk>/agree/", views.agree, name="agree"),
]
