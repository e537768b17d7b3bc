from django.urls import path

from actions import views

app_name = "actions"

urlpatterns = [
    path("", views.plan, name="plan"),
    path("mine/", views.my_actions, name="mine"),
    path("review/", views.review_queue, name="review_queue"),
    path("missing/", views.missing, name="missing"),
    path("export.csv", views.export, {"file_format": "csv"}, name="export_csv"),
    path("export.xlsx", views.export, {"file_format": "xlsx"}, name="export_xlsx"),
    path("recommendations/<int:pk>/", views.recommendation, name="recommendation"),
    path("recommendations/<int:pk>/lead/", views.set_recommendation_lead, name="recommendation_lead"),
    path("recommendations/<int:pk>/actions/add/", views.add_action, name="add_action"),
    path("versions/", views.plan_versions, name="versions"),
    path("rag-scale/", views.rag_scale, name="rag_scale"),
    path("rag-scale/<int:pk>/", views.rag_level_edit, name="rag_level_edit"),
    path("versions/<int:pk>/", views.plan_version, name="version"),
    path("<int:pk>/", views.action_detail, name="action"),
    path("<int:pk>/history/", views.action_history, name="history"),
    path("<int:pk>/update/", views.update_progress, name="update"),
    path("<int:pk>/edit/", views.edit_action, name="edit"),
    path("<int:pk>/replan/", views.replan_action, name="replan"),
    path("<int:pk>/milestones/add/", views.add_milestone, name="add_milestone"),
    path("milestones/<int:pk>/change/", views.change_milestone, name="change_milestone"),
    path("milestones/<int:pk>/remove/", views.remove_milestone, name="remove_milestone"),
    path("updates/<int:pk>/check/", views.check_answers, name="check"),
    path("updates/<int:pk>/review/", views.review, name="review"),
    path("evidence/<int:pk>/", views.evidence_download, name="evidence"),
    path("evidence/<int:pk>/remove/", views.evidence_remove, name="evidence_remove"),
]
