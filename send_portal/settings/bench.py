"""`make bench`: the embedded default plus the benchmark commands, which production does not ship."""

from .local import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]  # noqa: F405
