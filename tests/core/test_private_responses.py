"""Nothing a signed-in user is shown may be kept by a browser or a shared cache (issue 15, item 8)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from actions.models import Evidence
from tests.actions.test_update_journey import post_update
from tests.conftest import PDF

pytestmark = pytest.mark.django_db


def cache_control(response) -> set[str]:
    return {part.strip() for part in response.get("Cache-Control", "").split(",")}


def test_signed_in_pages_and_downloads_are_never_stored(client, signed_in, world):
    signed_in(world.officer)
    post_update(client, world, evidence_file=SimpleUploadedFile("minutes.pdf", PDF))
    evidence = Evidence.objects.get()
    for url in [
        reverse("home"),
        reverse("actions:plan"),
        reverse("actions:evidence", args=[evidence.pk]),
        reverse("actions:export_csv"),
        reverse("actions:export_xlsx"),
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        assert {"no-store", "private"} <= cache_control(response), url


def test_a_public_page_may_be_cached_by_an_anonymous_reader(client, signed_in, world):
    response = client.get(reverse("accessibility"))
    assert response.status_code == 200
    assert "no-store" not in cache_control(response)
    signed_in(world.board)
    assert {"no-store", "private"} <= cache_control(client.get(reverse("accessibility")))
