"""Settings for the list benchmark only: fazhi's, plus the Django admin as the baseline."""

from __future__ import annotations

from fazhi.settings import *  # noqa: F403
from fazhi.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "django.contrib.admin"]
ROOT_URLCONF = "bench.admin_urls"
AXES_ENABLED = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
