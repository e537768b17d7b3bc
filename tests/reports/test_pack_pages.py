"""A published pack's pages: the build answers at once with its status page, downloads serve the stored files and
are audited, and the pack list reads a fixed number of queries (who may open which page: the permission matrix)."""

import pytest
from django.urls import reverse

from core.models import AuditEvent
from reports import services
from reports.models import Pack

pytestmark = pytest.mark.django_db


@pytest.fixture
def ready_pack(world, meeting):
    pack = services.pack_request(actor=None, meeting=meeting)
    services.pack_queue(pack)
    pack.refresh_from_db()
    assert pack.status == Pack.Status.READY
    return services.pack_publish(actor=world.democratic, pack=pack)


def test_downloads_are_audited_and_serve_the_stored_files(world, ready_pack, signed_in):
    client = signed_in(world.board)
    pdf = client.get(reverse("reports:pdf", args=[ready_pack.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")
    html = client.get(reverse("reports:html", args=[ready_pack.pk]))
    assert b"Appendix 4: Self Evaluation Framework (SEF)" in b"".join(html.streaming_content)
    downloads = AuditEvent.objects.filter(verb="download", actor=world.board)
    assert sorted(e.after["format"] for e in downloads) == ["html", "pdf"]


def test_building_answers_at_once_with_the_status_page(world, meeting, signed_in):
    client = signed_in(world.democratic)
    response = client.post(reverse("reports:build", args=[meeting.pk]))
    pack = Pack.objects.get()
    assert response["Location"] == pack.get_absolute_url()
    page = client.get(pack.get_absolute_url())
    assert b"The pack is ready" in page.content
    assert b"Download the PDF" in page.content
    status = client.get(reverse("reports:pack_status", args=[pack.pk])).json()
    assert (status["status"], status["progress"], status["finished"]) == ("ready", 100, True)
    # A build watched to its end is announced as a success; the pack opened later just says it is ready.
    assert "govuk-notification-banner--success" in status["html"]
    assert b"govuk-notification-banner--success" not in page.content


def test_the_pack_list_pins_its_queries(world, meeting, signed_in, django_assert_max_num_queries):
    for _ in range(3):
        services.pack_queue(services.pack_request(actor=world.democratic, meeting=meeting))
    client = signed_in(world.democratic)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("reports:meeting", args=[meeting.pk])).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("reports:index")).status_code == 200
