from django.urls import path

from public import views

app_name = "public"

# Addresses under /public/ name the partnership by its ONS code, which does not change, so links and the open
# data downloads stay stable.
urlpatterns = [
    path("public/", views.index, name="index"),
    path("public/<str:code>/", views.home, name="home"),
    path("public/<str:code>/plan/", views.plan, name="plan"),
    path("public/<str:code>/year-by-year/", views.years, name="years"),
    path("public/<str:code>/indicators/", views.indicators, name="indicators"),
    path("public/<str:code>/board-packs/", views.packs, name="packs"),
    path("public/<str:code>/board-packs/<int:pk>/pdf/", views.pack_pdf, name="pack_pdf"),
    path("public/<str:code>/board-packs/<int:pk>/web-page/", views.pack_html, name="pack_html"),
    path(
        "public/<str:code>/board-packs/<int:pk>/appendix-<int:number>/",
        views.pack_attachment,
        name="pack_attachment",
    ),
    path("public/<str:code>/easy-read/", views.easy_read_page, name="easy_read"),
    path("public/<str:code>/feedback/", views.feedback, name="feedback"),
    path("public/<str:code>/feedback/sent/", views.feedback_sent, name="feedback_sent"),
    path("public/<str:code>/you-said-we-did/", views.you_said, name="you_said"),
    path("public/<str:code>/open-data/", views.data_index, name="data"),
    path("public/<str:code>/open-data/<slug:name>/", views.dataset, name="dataset"),
    path(
        "public/<str:code>/open-data/<slug:name>.csv",
        views.dataset_download,
        {"file_format": "csv"},
        name="dataset_csv",
    ),
    path(
        "public/<str:code>/open-data/<slug:name>.json",
        views.dataset_download,
        {"file_format": "json"},
        name="dataset_json",
    ),
    path("partnership/public-pages/", views.choices, name="choices"),
    path("partnership/feedback/", views.moderation, name="moderation"),
    path("partnership/feedback/<int:pk>/", views.moderate, name="moderate"),
    path("partnership/feedback/<int:pk>/reply/", views.reply, name="reply"),
    path("partnership/feedback/<int:pk>/publish/", views.publish, name="publish"),
    path("partnership/feedback/<int:pk>/archive/", views.archive, name="archive"),
    path("api/openapi.json", views.openapi, name="openapi"),
    path("api/docs/", views.api_reference, name="api_reference"),
    path("account/api-tokens/", views.tokens, name="tokens"),
    path("account/api-tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
