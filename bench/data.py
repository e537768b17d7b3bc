"""National-scale synthetic data for `make bench`: 153 partnerships beside the Southend data.

Only ever run against the separate bench database (the command refuses any other). Rows go in with
PostgreSQL COPY, so ten years of returns for every partnership load in seconds. Values are random but
seeded, so two runs measure the same data.
"""

import random
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import connection
from django.utils import timezone

from actions.models import (
    DEADLINE_DAYS_AFTER_MONTH_END,
    Action,
    Milestone,
    Plan,
    ProgressUpdate,
    RagLevel,
    Recommendation,
    ReportingPeriod,
)
from actions.seed.loader import DEFAULT_RAG_SCALE
from core.models import Membership, Organisation, Partnership, Role, User
from dashboards.selectors import add_months, month_end
from kpis.models import Comparator, Indicator, Return

YEARS = 10
INDICATORS = 30
RECOMMENDATIONS = 6
ACTIONS_PER_RECOMMENDATION = 4  # 24 actions a partnership: 3,672 at 153 partnerships
UPDATES_PER_ACTION = 36
MILESTONES_PER_ACTION = 3
PASSWORD = "bench-password-not-secret"
RAG_WEIGHTS = [("green", 5), ("amber", 3), ("red", 1), ("blue", 1)]


def copy_rows(model: Any, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
    """COPY rows into a model's table; None becomes NULL."""
    table = model._meta.db_table
    count = 0
    statement = f'COPY "{table}" ({", ".join(columns)}) FROM STDIN'
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def ids_of(model: Any, **filters: object) -> list[int]:
    return list(model.objects.filter(**filters).order_by("pk").values_list("pk", flat=True))


def create_partnerships(first: int, count: int, today: date, rng: random.Random) -> dict[str, int]:
    """Partnerships numbered first .. first + count - 1, each with a plan, actions, history and KPIs."""
    made: dict[str, int] = {}
    password = User(email="hash@example.org")  # one hash for every bench user: hashing is slow by design
    password.set_password(PASSWORD)
    numbers = range(first, first + count)
    partnerships = Partnership.objects.bulk_create(
        [
            Partnership(
                name=f"Bench area {n:03d} SEND partnership",
                short_name=f"Bench {n:03d}",
                ons_code=f"B{n:08d}",
                region=f"Region {n % 9}",
            )
            for n in numbers
        ]
    )
    organisations = Organisation.objects.bulk_create(
        [
            Organisation(partnership=p, name=f"{p.short_name} {kind.label}", kind=kind)
            for p in partnerships
            for kind in list(Organisation.Kind)[:3]
        ]
    )
    orgs_by_partnership: dict[int, list[Organisation]] = {}
    for organisation in organisations:
        orgs_by_partnership.setdefault(organisation.partnership_id, []).append(organisation)
    users = User.objects.bulk_create(
        [
            User(
                email=f"{role}@bench{p.pk}.example.org",
                full_name=f"{p.short_name} {role}",
                password=password.password,
            )
            for p in partnerships
            for role in (Role.BOARD, Role.OFFICER)
        ]
    )
    user_of = {(u.email.split("@")[0], u.email.split("@bench")[1].split(".")[0]): u for u in users}
    Membership.objects.bulk_create(
        [
            Membership(
                user=user_of[(role, str(p.pk))],
                partnership=p,
                organisation=orgs_by_partnership[p.pk][0],
                role=role,
            )
            for p in partnerships
            for role in (Role.BOARD, Role.OFFICER)
        ]
    )
    RagLevel.objects.bulk_create(
        [
            RagLevel(
                partnership=p,
                key=key,
                label=label,
                meaning=meaning,
                colour=colour,
                tag_class=tag_class,
                needs_commentary=needs,
                definition=definition,
                order=order,
            )
            for p in partnerships
            for order, (key, label, meaning, colour, tag_class, needs, definition) in enumerate(
                DEFAULT_RAG_SCALE
            )
        ]
    )
    start = add_months(today.replace(day=1), -(YEARS * 12 - 1))
    plans = Plan.objects.bulk_create(
        [
            Plan(
                partnership=p,
                title="Bench plan",
                version=1,
                status=Plan.Status.PUBLISHED,
                start=add_months(today.replace(day=1), -36),
                end=add_months(today.replace(day=1), 24),
            )
            for p in partnerships
        ]
    )
    recommendations = Recommendation.objects.bulk_create(
        [
            Recommendation(
                plan=plan, number=n, short_title=f"Recommendation {n}", text=f"Recommendation {n} text"
            )
            for plan in plans
            for n in range(1, RECOMMENDATIONS + 1)
        ]
    )
    partnership_of_plan = {plan.pk: plan.partnership_id for plan in plans}
    actions = Action.objects.bulk_create(
        [
            Action(
                recommendation=r,
                reference=f"{r.number}.{n}",
                order=n,
                what_we_want=f"Bench outcome {r.number}.{n}",
                what_we_will_do="Bench activity",
                where_are_we_now="Bench baseline",
                what_we_will_see="Bench evidence",
                difference_this_will_make="Bench difference",
                lead_officer=user_of[(Role.OFFICER, str(partnership_of_plan[r.plan_id]))],
                original_due_date=add_months(today.replace(day=1), rng.randint(-12, 24)),
                replan_count=rng.choice([0, 0, 0, 1, 2, 3]),
            )
            for r in recommendations
            for n in range(1, ACTIONS_PER_RECOMMENDATION + 1)
        ]
    )
    partnership_of_recommendation = {r.pk: partnership_of_plan[r.plan_id] for r in recommendations}
    Action.owner_organisations.through.objects.bulk_create(
        [
            Action.owner_organisations.through(
                action_id=a.pk,
                organisation_id=orgs_by_partnership[partnership_of_recommendation[a.recommendation_id]][
                    a.order % 3
                ].pk,
            )
            for a in actions
        ]
    )
    months = [add_months(start, n) for n in range(YEARS * 12)]
    copy_rows(
        ReportingPeriod,
        ["partnership_id", "start", '"end"', "update_deadline"],
        (
            (p.pk, month, month_end(month), month_end(month) + timedelta(days=DEADLINE_DAYS_AFTER_MONTH_END))
            for p in partnerships
            for month in months
        ),
    )
    period_ids = {
        (pid, start_day): pk
        for pk, pid, start_day in ReportingPeriod.objects.filter(partnership__in=partnerships).values_list(
            "pk", "partnership_id", "start"
        )
    }
    levels = {
        (pid, key): pk
        for pk, pid, key in RagLevel.objects.filter(partnership__in=partnerships).values_list(
            "pk", "partnership_id", "key"
        )
    }
    update_months = months[-UPDATES_PER_ACTION - 1 : -1]  # the last 36 completed months
    picks = [key for key, weight in RAG_WEIGHTS for _ in range(weight)]

    def updates() -> Iterable[Sequence[object]]:
        for action in actions:
            pid = partnership_of_recommendation[action.recommendation_id]
            officer = user_of[(Role.OFFICER, str(pid))].pk
            for month in update_months:
                submitted = timezone.make_aware(datetime.combine(month_end(month), time(17)))
                yield (
                    action.pk,
                    period_ids[(pid, month)],
                    1,
                    levels[(pid, rng.choice(picks))],
                    "Bench update",
                    "",
                    "",
                    None,
                    "",
                    ProgressUpdate.State.APPROVED,
                    "",
                    officer,
                    submitted,
                    officer,
                    submitted,
                    officer,
                    submitted + timedelta(days=2),
                    1,
                    False,
                )

    made["updates"] = copy_rows(
        ProgressUpdate,
        [
            "action_id",
            "period_id",
            "revision",
            "rag_id",
            "commentary",
            "next_steps",
            "risks_and_issues",
            "proposed_due_date",
            "proposed_due_reason",
            "state",
            "return_reason",
            "created_by_id",
            "created_at",
            "submitted_by_id",
            "submitted_at",
            "reviewed_by_id",
            "reviewed_at",
            "lock_version",
            "is_demo",
        ],
        updates(),
    )
    made["milestones"] = copy_rows(
        Milestone,
        ["action_id", "title", "due_date", "revised_due_date", "completed_on", "is_demo"],
        (
            (
                a.pk,
                f"Milestone {n}",
                add_months(today.replace(day=1), rng.randint(-18, 12)),
                None,
                None,
                False,
            )
            for a in actions
            for n in range(MILESTONES_PER_ACTION)
        ),
    )
    indicators = Indicator.objects.bulk_create(
        [
            Indicator(
                partnership=p,
                code=f"BENCH_{n:02d}",
                title=f"Bench indicator {n}",
                description="Synthetic",
                unit="percentage",
                better="higher" if n % 3 else "lower",
                frequency="monthly",
                source_collection="Bench",
                cohort="Bench",
                owner_organisation=orgs_by_partnership[p.pk][0],
                target_value=60 if n % 2 else None,
                tolerance=5 if n % 2 else None,
                suppress_small_numbers=n % 5 == 0,
            )
            for p in partnerships
            for n in range(INDICATORS)
        ]
    )
    recs_by_partnership: dict[int, list[Recommendation]] = {}
    for r in recommendations:
        recs_by_partnership.setdefault(partnership_of_plan[r.plan_id], []).append(r)
    actions_by_partnership: dict[int, list[Action]] = {}
    for a in actions:
        actions_by_partnership.setdefault(partnership_of_recommendation[a.recommendation_id], []).append(a)
    Indicator.recommendations.through.objects.bulk_create(
        [
            Indicator.recommendations.through(
                indicator_id=i.pk,
                recommendation_id=recs_by_partnership[i.partnership_id][n % RECOMMENDATIONS].pk,
            )
            for n, i in enumerate(indicators)
        ]
    )
    Indicator.actions.through.objects.bulk_create(
        [
            Indicator.actions.through(
                indicator_id=i.pk, action_id=actions_by_partnership[i.partnership_id][n % 24].pk
            )
            for n, i in enumerate(indicators)
        ]
    )

    def returns() -> Iterable[Sequence[object]]:
        for indicator in indicators:
            level = rng.uniform(30, 80)
            for month in months:
                level = min(100.0, max(0.0, level + rng.uniform(-3, 3)))
                end = month_end(month)
                submitted = timezone.make_aware(datetime.combine(end + timedelta(days=20), time(9)))
                yield (
                    indicator.pk,
                    indicator.partnership_id,
                    f"{month:%B %Y}",
                    month,
                    end,
                    end,
                    round(level, 1),
                    1,
                    "verified",
                    "",
                    "",
                    "",
                    submitted,
                    "",
                    officer_of[indicator.partnership_id],
                    "",
                    "",  # the headline figure: no breakdown
                )

    officer_of = {p.pk: user_of[(Role.OFFICER, str(p.pk))].pk for p in partnerships}
    made["returns"] = copy_rows(
        Return,
        [
            "indicator_id",
            "partnership_id",
            "period_label",
            "period_start",
            "period_end",
            "reference_date",
            "value",
            "decimal_places",
            "data_quality",
            "note",
            "source_document",
            "source_quote",
            "submitted_at",
            "query_reason",
            "submitted_by_id",
            "qualifier",
            "breakdown",
        ],
        returns(),
    )
    made["comparators"] = copy_rows(
        Comparator,
        [
            "indicator_id",
            "geography",
            "period_label",
            "reference_date",
            "value",
            "decimal_places",
            "note",
            "source_document",
            "source_quote",
            "qualifier",
        ],
        (
            (
                i.pk,
                geography,
                f"{month:%B %Y}",
                month_end(month),
                round(rng.uniform(40, 70), 1),
                1,
                "",
                "Bench",
                "",
                "",
            )
            for i in indicators
            for geography in ("england", "region")
            for month in months[2::3]
        ),
    )
    made["partnerships"] = len(partnerships)
    made["actions"] = len(actions)
    made["indicators"] = len(indicators)
    return made
