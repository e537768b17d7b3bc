"""Every SEF URL x every role x GET and POST: the expected answer, and 404 for another partnership's versions."""

import pytest
from django.urls import get_resolver, reverse

from core.models import Role
from sef.models import JudgementLevel, SelfEvaluation
from tests.factories import OrganisationFactory, PartnershipFactory, member
from tests.sef.factories import self_evaluation

pytestmark = pytest.mark.django_db

EVERYONE = set(Role)
EDITORS = {Role.LEAD, Role.ADMIN}
RECORDERS = {Role.DEMOCRATIC, Role.ADMIN}
ADMINS = {Role.ADMIN}

# name: (which version it needs or None, roles allowed to GET or None if GET is refused,
#        roles allowed to POST or None if POST is refused, status an allowed role gets)
MATRIX = {
    "index": (None, EVERYONE, None, 200),
    "compare": (None, EVERYONE, None, 200),
    "framework": (None, EVERYONE, None, 200),
    "start_draft": (None, None, EDITORS, 302),
    "version": ("submitted", EVERYONE, None, 200),
    "part_a": ("submitted", EVERYONE, None, 200),
    "area": ("submitted", EVERYONE, None, 200),
    "part_c": ("submitted", EVERYONE, None, 200),
    "links": ("submitted", EVERYONE, None, 200),
    "print": ("submitted", EVERYONE, None, 200),
    "export_csv": ("submitted", EVERYONE, None, 200),
    "export_xlsx": ("submitted", EVERYONE, None, 200),
    "readiness": ("submitted", EVERYONE, None, 200),
    "area_edit": ("draft", EDITORS, EDITORS, 200),
    "priority_edit": ("draft", EDITORS, EDITORS, 200),
    "submit": ("draft", EDITORS, EDITORS, 200),
    "agree": ("submitted", RECORDERS, RECORDERS, 200),
    "judgement_level_add": (None, ADMINS, ADMINS, 200),
    "judgement_level_edit": ("level", ADMINS, ADMINS, 200),
    "judgement_level_remove": ("level", ADMINS, ADMINS, 302),
}


@pytest.fixture
def world():
    organisation = OrganisationFactory()
    partnership = organisation.partnership
    versions = {
        "submitted": self_evaluation(partnership, version=1),
        "draft": self_evaluation(partnership, version=2, status=SelfEvaluation.Status.DRAFT),
        "level": JudgementLevel.objects.create(partnership=partnership, order=99, label="Too early to say"),
    }
    return organisation, versions


def url_for(name, versions):
    needs = MATRIX[name][0]
    if needs is None:
        return reverse(f"sef:{name}")
    args = [versions[needs].pk]
    if name in {"area", "area_edit"}:
        args.append(1)
    if name == "priority_edit":
        args += [1, 1]
    return reverse(f"sef:{name}", args=args)


def test_every_sef_url_is_in_the_matrix():
    names = set(get_resolver().namespace_dict["sef"][1].reverse_dict.keys())
    assert {n for n in names if isinstance(n, str)} == set(MATRIX)


@pytest.mark.parametrize("name", MATRIX)
def test_anonymous_visitors_are_sent_to_sign_in(client, world, name):
    url = url_for(name, world[1])
    get_allowed = MATRIX[name][1]
    response = client.get(url)
    if get_allowed is None:
        assert response.status_code == 405
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    response = client.post(url)
    if MATRIX[name][2] is None:
        assert response.status_code == 405
    else:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("name", MATRIX)
def test_each_role_gets_what_its_role_allows(client, signed_in, world, name, role):
    organisation, versions = world
    signed_in(member(role, organisation))
    _, get_roles, post_roles, ok = MATRIX[name]
    url = url_for(name, versions)
    get_status = client.get(url).status_code
    if get_roles is None:
        assert get_status == 405
    else:
        assert get_status == (200 if role in get_roles else 403)
    post_status = client.post(url).status_code
    if post_roles is None:
        assert post_status == 405
    else:
        assert post_status == (ok if role in post_roles else 403)


@pytest.mark.parametrize("name", [n for n, spec in MATRIX.items() if spec[0]])
def test_another_partnerships_versions_answer_404(client, signed_in, world, name):
    stranger = member(Role.ADMIN, OrganisationFactory(partnership=PartnershipFactory()))
    signed_in(stranger)
    url = url_for(name, world[1])
    for method in ("get", "post"):
        status = getattr(client, method)(url).status_code
        assert status in {404, 405}
        if MATRIX[name][1 if method == "get" else 2] is not None:
            assert status == 404


def test_state_changing_views_enforce_csrf(world):
    from django.test import Client

    organisation, versions = world
    client = Client(enforce_csrf_checks=True)
    from tests.conftest import sign_in

    sign_in(client, member(Role.ADMIN, organisation))
    for name in ("start_draft", "area_edit", "priority_edit", "submit", "agree"):
        assert client.post(url_for(name, versions)).status_code == 403
    assert SelfEvaluation.objects.filter(partnership=organisation.partnership).count() == 2
