from datetime import date

import factory

from risks.models import DetailChange, Risk, ScoreChange
from risks.services import WORDING_FIELDS


class RiskFactory(factory.django.DjangoModelFactory):
    """A risk with its first scores and words in its history, as risk_raise leaves it."""

    class Meta:
        model = Risk
        skip_postgeneration_save = True

    partnership = factory.SubFactory("tests.factories.PartnershipFactory")
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Risk title {n}")
    cause = "Demand for assessments rises faster than capacity."
    effect = "Plans are issued late."
    owner = factory.SubFactory("tests.factories.UserFactory")
    inherent_likelihood = 4
    inherent_impact = 4
    residual_likelihood = 3
    residual_impact = 3
    review_date = date(2030, 1, 31)

    @factory.post_generation
    def first_scores(obj, create, extracted, **kwargs):  # noqa: N805 - factory_boy passes the risk
        if create:
            ScoreChange.objects.create(
                risk=obj,
                reason="First scored when the risk was raised",
                changed_at=obj.raised_at,
                inherent_likelihood=obj.inherent_likelihood,
                inherent_impact=obj.inherent_impact,
                residual_likelihood=obj.residual_likelihood,
                residual_impact=obj.residual_impact,
            )
            DetailChange.objects.create(
                risk=obj,
                changed_at=obj.raised_at,
                status=obj.status,
                **{name: getattr(obj, name) for name in WORDING_FIELDS},
            )
