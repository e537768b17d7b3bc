"""What `make test` measures coverage of (pyproject.toml, [tool.slipcover])."""

import tomllib
from pathlib import Path

from django.apps import apps
from django.conf import settings


def test_coverage_is_measured_in_every_app_of_the_portal_and_in_its_settings():
    measured = tomllib.loads((settings.BASE_DIR / "pyproject.toml").read_text())["tool"]["slipcover"][
        "source"
    ]
    # The apps in the repository's own folders; the installed libraries' live in the virtual environment.
    own_apps = {app.name for app in apps.get_app_configs() if Path(app.path).parent == settings.BASE_DIR}
    assert own_apps >= {"core", "actions", "risks"}
    assert sorted(measured) == sorted(own_apps | {"send_portal"})
