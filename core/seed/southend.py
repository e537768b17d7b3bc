"""The Southend-on-Sea partnership and its organisations, as the source documents name them."""

from django.db import transaction

from core.models import Organisation, Partnership

PARTNERSHIP = {
    "name": "Southend SEND Area Partnership",
    "short_name": "Southend",
    "ons_code": "E06000033",
    "region": "East of England",
}

Kind = Organisation.Kind
ORGANISATIONS = [
    (
        "Southend-on-Sea City Council",
        Kind.COUNCIL,
        "The local authority; publishes the SEND Strategic Action Plan.",
    ),
    (
        "Mid and South Essex Integrated Care Board",
        Kind.ICB,
        "Commissions health services for Southend (MSE ICB).",
    ),
    (
        "Essex Partnership University NHS Foundation Trust",
        Kind.NHS_TRUST,
        "EPUT: community paediatrics, therapies and the neurodevelopmental pathway.",
    ),
    (
        "North East London NHS Foundation Trust",
        Kind.NHS_TRUST,
        "NELFT: CAMHS services and Mental Health Support Teams.",
    ),
    ("Mid and South Essex NHS Foundation Trust", Kind.NHS_TRUST, "MSEFT: hospital services."),
    (
        "Southend SEND Independent Forum",
        Kind.PARENT_CARER_FORUM,
        "SSIF: the Department for Education funded Parent Carer Forum for Southend.",
    ),
    ("Healthwatch Southend", Kind.OTHER_PUBLIC, "Sits on the SEND Strategic Partnership Board."),
    ("Department for Education", Kind.OTHER_PUBLIC, "Monitors the Strategic Action Plan; sits on the Board."),
    (
        "Department of Health and Social Care",
        Kind.OTHER_PUBLIC,
        "Sits on the SEND Strategic Partnership Board.",
    ),
    (
        "Southend Association of Voluntary Services",
        Kind.VOLUNTARY,
        "SAVS: the voluntary sector's umbrella body.",
    ),
    ("SEND The Right Message", Kind.VOLUNTARY, "A parent network consulted by the partnership."),
]

COUNCIL = ORGANISATIONS[0][0]
PARENT_CARER_FORUM = "Southend SEND Independent Forum"


@transaction.atomic
def load_southend_partnership() -> Partnership:
    """Create or refresh the partnership and its organisations; running it again duplicates nothing."""
    partnership, _ = Partnership.objects.update_or_create(
        ons_code=PARTNERSHIP["ons_code"], defaults=PARTNERSHIP
    )
    for name, kind, description in ORGANISATIONS:
        Organisation.objects.update_or_create(
            partnership=partnership, name=name, defaults={"kind": kind, "description": description}
        )
    return partnership
