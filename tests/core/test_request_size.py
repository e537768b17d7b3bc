"""A request larger than the portal ever takes is refused before its body is read (issue 15, item 10)."""

import socket

import pytest
from django.conf import settings
from django.urls import reverse

from tests.actions.test_update_journey import form_data

pytestmark = pytest.mark.django_db


def test_a_huge_post_is_refused_with_a_page_that_says_nothing_was_saved(client, signed_in, world):
    signed_in(world.officer)
    url = reverse("actions:update", args=[world.action.pk])
    response = client.post(url, form_data(world), CONTENT_LENGTH=str(300 * 1024 * 1024))
    page = response.content.decode()
    assert response.status_code == 413
    assert "The file is too large" in page
    assert "What you sent was 300.0 MB" in page
    assert "Nothing was saved" in page
    assert client.post(url, form_data(world)).status_code == 302  # the same form at its real size is saved


def test_the_running_server_answers_413_without_waiting_for_the_body(live_server):
    host, port = live_server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(
            b"POST /sign-in/ HTTP/1.1\r\nHost: localhost\r\nContent-Type: multipart/form-data; boundary=x\r\n"
            + f"Content-Length: {settings.MAX_REQUEST_BYTES + 1}\r\n\r\n".encode()
        )
        status_line = connection.recv(200).split(b"\r\n")[0]
    assert b" 413 " in status_line
