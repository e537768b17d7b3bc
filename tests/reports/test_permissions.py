"""Every reports URL for every role: anonymous to sign-in, allowed roles through, others 403, strangers 404."""

import pytest
from django.urls import reverse

from reports import services
from reports.models import Pack

pytestmark = pytest.mark.django_db

BUILDERS = {"democratic", "admin"}
READERS = {"board", "lead", "democratic", "admin"}


@pytest.fixture
def ready_pack(world, meeting):
    pack = services.pack_request(actor=None, meeting=meeting)
    services.pack_queue(pack)
    pack.refresh_from_db()
    assert pack.status == Pack.Status.READY
    return services.pack_publish(actor=world.democratic, roles=frozenset({"democratic"}), pack=pack)


def urls(meeting, pack):
    return [
        ("get", reverse("reports:index"), READERS, False),
        ("get", reverse("reports:meeting_create"), BUILDERS, False),
        ("get", reverse("reports:meeting", args=[meeting.pk]), READERS, True),
        ("get", reverse("reports:narrative", args=[meeting.pk]), BUILDERS, True),
        ("get", reverse("reports:pack", args=[pack.pk]), READERS, True),
        ("get", reverse("reports:pack_status", args=[pack.pk]), READERS, True),
        ("get", reverse("reports:changes", args=[pack.pk]), READERS, True),
        ("get", reverse("reports:pdf", args=[pack.pk]), READERS, True),
        ("get", reverse("reports:html", args=[pack.pk]), READERS, True),
        ("post", reverse("reports:build", args=[meeting.pk]), BUILDERS, True),
    ]


@pytest.mark.parametrize("role", ["officer", "lead", "board", "democratic", "admin"])
def test_each_role_gets_what_its_role_allows(world, meeting, ready_pack, signed_in, role):
    client = signed_in(getattr(world, {"democratic": "democratic"}.get(role, role)))
    for method, url, allowed, _ in urls(meeting, ready_pack):
        response = getattr(client, method)(url)
        # 400: the pack is published, so building another version asks for its reason first
        expected = {200, 302, 400} if role in allowed else {403}
        assert response.status_code in expected, (role, method, url, response.status_code)


def test_anonymous_people_are_sent_to_sign_in(client, meeting, ready_pack):
    for method, url, _, _ in urls(meeting, ready_pack):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/sign-in/" in response["Location"], url


def test_another_partnership_gets_404_for_our_meetings_and_packs(world, meeting, ready_pack, signed_in):
    client = signed_in(world.stranger)
    for method, url, _, scoped in urls(meeting, ready_pack):
        if scoped:
            assert getattr(client, method)(url).status_code == 404, url
    assert client.post(reverse("reports:retry", args=[ready_pack.pk])).status_code == 404


def test_downloads_are_audited_and_serve_the_stored_files(world, ready_pack, signed_in):
    from core.models import AuditEvent

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


def test_the_pack_list_pins_its_queries(world, meeting, signed_in, django_assert_max_num_queries):
    for _ in range(3):
        services.pack_queue(services.pack_request(actor=world.democratic, meeting=meeting))
    client = signed_in(world.democratic)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("reports:meeting", args=[meeting.pk])).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("reports:index")).status_code == 200
