"""Agents see a case's files on the console's case page and download them through the check."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tierdesk.tickets.services.attachments import attachment_add
from tierdesk.tickets.services.cases import case_create

from .conftest import MONDAY_10

pytestmark = pytest.mark.django_db


def test_console_links_files_and_agents_download_them(client, customer, agent, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = case_create(
        actor=customer, subject="Logs", description="See file", severity=3, now=MONDAY_10
    )
    attachment = attachment_add(
        actor=customer, case=case, upload=SimpleUploadedFile("trace.txt", b"boom", "text/plain")
    )
    url = reverse("tickets:attachment", args=[case.pk, attachment.pk])
    client.force_login(agent)
    page = client.get(reverse("case-detail", args=[case.pk]))
    assert page.status_code == 200
    assert url in page.content.decode()
    download = client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == b"boom"
    assert download["Content-Disposition"].startswith("attachment")
