from django.urls import path

from reports import views

app_name = "reports"

urlpatterns = [
    path("", views.index, name="index"),
    path("meetings/new/", views.meeting_create, name="meeting_create"),
    path("meetings/<int:pk>/", views.meeting, name="meeting"),
    path("meetings/<int:pk>/change/", views.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/cancel/", views.meeting_cancel, name="meeting_cancel"),
    path("meetings/<int:pk>/delete/", views.meeting_delete, name="meeting_delete"),
    path("meetings/<int:pk>/narrative/", views.narrative_edit, name="narrative"),
    path("meetings/<int:pk>/narrative/redraft/", views.narrative_redraft, name="redraft"),
    path("meetings/<int:pk>/sections/", views.report_sections, name="sections"),
    path("meetings/<int:pk>/build/", views.pack_build, name="build"),
    path("packs/<int:pk>/", views.pack, name="pack"),
    path("packs/<int:pk>/status/", views.pack_status, name="pack_status"),
    path("packs/<int:pk>/retry/", views.pack_retry, name="retry"),
    path("packs/<int:pk>/publish/", views.pack_publish, name="publish"),
    path("packs/<int:pk>/changes/", views.pack_changes, name="changes"),
    path("packs/<int:pk>/pdf/", views.pack_pdf, name="pdf"),
    path("packs/<int:pk>/html/", views.pack_html, name="html"),
    path("front-sheet/", views.front_sheet, name="front_sheet"),
    path("meetings/<int:pk>/appendices/", views.appendices, name="appendices"),
    path("meetings/<int:pk>/appendices/add/", views.appendix_add, name="appendix_add"),
    path("meetings/<int:pk>/appendices/upload/", views.appendix_upload, name="appendix_upload"),
    path("appendices/<int:pk>/rename/", views.appendix_rename, name="appendix_rename"),
    path("appendices/<int:pk>/replace/", views.appendix_replace, name="appendix_replace"),
    path("appendices/<int:pk>/move/", views.appendix_move, name="appendix_move"),
    path("appendices/<int:pk>/remove/", views.appendix_remove, name="appendix_remove"),
    path("packs/<int:pk>/appendices/<int:number>/", views.pack_attachment, name="pack_attachment"),
    path("governance/", views.governance, name="governance"),
    path("governance/add/", views.governance_add, name="governance_add"),
    path("governance/documents/<int:pk>/", views.governance_document, name="governance_document"),
    path("governance/<int:pk>/", views.governance_edit, name="governance_edit"),
    path("governance/<int:pk>/remove/", views.governance_remove, name="governance_remove"),
]
