from django.conf import settings
from django.http import HttpRequest

from core.navigation import items_for


def portal(request: HttpRequest) -> dict[str, object]:
    partnership = getattr(request, "partnership", None)
    return {
        "portal_name": settings.PORTAL_NAME,
        "current_partnership": partnership,
        "service_name": f"{partnership.short_name} SEND partnership" if partnership else settings.PORTAL_NAME,
        "navigation": items_for(request) if partnership else [],
        "other_partnerships": list(
            {
                m.partnership_id: m.partnership
                for m in getattr(request, "all_memberships", [])
                if partnership and m.partnership_id != partnership.pk
            }.values()
        ),
    }
