"""Partnership admins word their own judgement scale in the portal: change, add and remove levels."""

import pytest
from django.urls import reverse

from core.models import AuditEvent, Role
from sef.models import AreaEvaluation, JudgementLevel
from sef.seed.loader import load_inspection_framework
from tests.factories import OrganisationFactory, member
from tests.sef.factories import self_evaluation

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client, signed_in):
    organisation = OrganisationFactory()
    load_inspection_framework()
    signed_in(member(Role.ADMIN, organisation))
    return organisation.partnership


def scale(partnership) -> list[str]:
    return list(partnership.judgement_levels.order_by("order").values_list("label", flat=True))


def test_an_admin_rewords_a_level_and_the_change_is_audited(client, admin):
    self_evaluation(admin)
    level = admin.judgement_levels.order_by("order").first()
    old_label = level.label

    response = client.post(
        reverse("sef:judgement_level_edit", args=[level.pk]),
        {"label": "Strong outcomes", "description": "Arrangements typically lead to positive experiences."},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("sef:framework") + "#judgement-scale"
    level.refresh_from_db()
    assert level.label == "Strong outcomes"
    event = AuditEvent.objects.get(object_type="sef.judgementlevel", verb="updated")
    assert event.before["label"] == old_label and event.after["label"] == "Strong outcomes"
    page = client.get(reverse("sef:framework")).content.decode()
    assert "1. Strong outcomes" in page
    assert "Arrangements typically lead to positive experiences." in page


def test_two_levels_cannot_share_words(client, admin):
    self_evaluation(admin)
    first, second = admin.judgement_levels.order_by("order")[:2]

    response = client.post(
        reverse("sef:judgement_level_edit", args=[second.pk]),
        {"label": first.label.upper(), "description": ""},
    )

    assert response.status_code == 400
    page = response.content.decode()
    assert "<title>Error: " in page
    assert "The scale already has the judgement" in page
    assert JudgementLevel.objects.get(pk=second.pk).label == second.label


def test_adding_to_an_empty_scale_first_sets_up_the_inspection_outcomes(client, admin):
    assert scale(admin) == []
    outcomes = list(load_inspection_framework().outcomes.order_by("number").values_list("text", flat=True))

    response = client.post(reverse("sef:judgement_level_add"), {"label": "Not yet judged", "description": ""})

    assert response.status_code == 302
    assert scale(admin) == [*outcomes, "Not yet judged"]
    assert AuditEvent.objects.filter(object_type="sef.judgementlevel", verb="created").count() == 1


def test_an_unused_level_is_removed_after_confirmation(client, admin):
    self_evaluation(admin)
    extra = JudgementLevel.objects.create(partnership=admin, order=50, label="Too early to say")
    confirm = client.get(reverse("sef:judgement_level_remove", args=[extra.pk])).content.decode()
    assert "Remove “Too early to say” from the judgement scale?" in confirm

    response = client.post(reverse("sef:judgement_level_remove", args=[extra.pk]))

    assert response.status_code == 302
    assert "Too early to say" not in scale(admin)
    assert AuditEvent.objects.get(object_type="sef.judgementlevel", verb="removed").before["label"] == (
        "Too early to say"
    )


def test_a_level_an_area_was_judged_at_stays_and_the_admin_is_told_why(client, admin):
    evaluation = self_evaluation(admin)
    level = admin.judgement_levels.order_by("order").first()
    AreaEvaluation.objects.filter(evaluation=evaluation, area__number__in=[1, 2]).update(judgement=level)

    response = client.post(reverse("sef:judgement_level_remove", args=[level.pk]))

    assert response.status_code == 400
    page = response.content.decode()
    assert "2 area judgements are" in page and "so it stays on the scale" in page
    assert JudgementLevel.objects.filter(pk=level.pk).exists()
    assert not AuditEvent.objects.filter(verb="removed").exists()


def test_other_members_see_the_scale_without_ways_to_change_it(client, signed_in, admin):
    self_evaluation(admin)
    signed_in(member(Role.LEAD, admin.organisations.first()))

    page = client.get(reverse("sef:framework")).content.decode()

    assert "A partnership admin can change it" in page
    assert "Add a judgement" not in page
    assert "/judgement-scale/" not in page


def test_removing_a_level_written_as_a_sentence_asks_without_a_full_stop_before_the_question_mark(
    client, admin
):
    self_evaluation(admin)
    sentence = JudgementLevel.objects.create(
        partnership=admin, order=60, label="Arrangements lead to positive experiences for children with SEND."
    )

    confirm = client.get(reverse("sef:judgement_level_remove", args=[sentence.pk])).content.decode()

    assert (
        "Remove “Arrangements lead to positive experiences for children with SEND” from the judgement"
        in confirm
    )
    assert ".?" not in confirm and ".”" not in confirm
