"""The bench's national-scale data is read by the same pages as a partnership's own, so it is stored as theirs is."""

import random

import pytest
from django.utils import timezone

from bench import data as bench
from kpis.models import Comparator, Return

pytestmark = pytest.mark.django_db


def test_bench_figures_are_stored_with_the_one_decimal_place_they_are_made_with(postgres_database):
    """Without the places beside it, a figure made as 52.0 would read 52 on the pages the bench measures."""
    made = bench.create_partnerships(1, 1, timezone.localdate(), random.Random(1))

    assert made["returns"] == Return.objects.count() > 0
    assert made["comparators"] == Comparator.objects.count() > 0
    assert set(Return.objects.values_list("decimal_places", flat=True)) == {1}
    assert set(Comparator.objects.values_list("decimal_places", flat=True)) == {1}
