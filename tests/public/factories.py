from datetime import date, datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from core.models import Partnership
from reports.models import Pack
from tests.reports.factories import MeetingFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pack_for(
    partnership: Partnership, *, cut_off: date, published: bool = True, meeting_date: date | None = None
) -> Pack:
    """A built pack of a Board meeting whose data was cut off at the end of `cut_off`; published unless told."""
    meeting = MeetingFactory(partnership=partnership, date=meeting_date or cut_off, data_cut_off=cut_off)
    pack = Pack.objects.create(
        meeting=meeting,
        version=1,
        status=Pack.Status.READY,
        page_count=3,
        as_at=meeting.cut_off_at,
        published_at=timezone.now() if published else None,
    )
    pack.pdf.save("pack.pdf", ContentFile(PDF))
    pack.html.save("pack.html", ContentFile(b"<!DOCTYPE html><html lang='en'><title>Pack</title></html>"))
    return pack


def at(day: date) -> datetime:
    """Midday on a day, in the portal's time zone."""
    return timezone.make_aware(datetime(day.year, day.month, day.day, 12))
