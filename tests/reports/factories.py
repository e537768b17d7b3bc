from datetime import date, time

import factory

from reports import services
from reports.models import GovernanceBody, Meeting, Narrative


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting
        skip_postgeneration_save = True

    partnership = factory.SubFactory("tests.factories.PartnershipFactory")
    council = "Test City Council"
    date = date(2030, 6, 10)
    agenda_item = factory.Sequence(lambda n: str(n + 1))
    item_time = time(18, 5)
    report_title = "SEND and Strategic Action Plan Update"
    report_of = "SEND Project Officer"
    report_author = "Ada Author, SEND Consultant"
    executive_director = "Eve Director"
    democratic_contact = "Dee Democratic, Principal Democratic Services Officer"

    @factory.post_generation
    def appendices(obj, create, extracted, **kwargs):  # noqa: N805 - factory_boy passes the meeting
        """A new meeting's default appendices, as democratic services get them; appendices=False for none."""
        if create and extracted is not False:
            services.default_appendices(obj)


class NarrativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Narrative

    meeting = factory.SubFactory(MeetingFactory)
    executive_summary = "To update the Board on the SEND Area Strategic Action Plan progress"
    background = "The inspection happened.\n\nThere are outcomes:\n- Outcome one\n- Outcome two"
    progress = factory.LazyFunction(lambda: {"intro": "See appendix 1.", "2": "Progress on two."})
    impact = "Impact line one\nImpact line two"
    priorities = "Priority one\nPriority two"


class GovernanceBodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GovernanceBody

    partnership = factory.SubFactory("tests.factories.PartnershipFactory")
    order = factory.Sequence(lambda n: n)
    name = factory.Sequence(lambda n: f"Group {n}")
    purpose = "To oversee the plan."
    reports_to = "The partnership board."
    meets = "Monthly"
