"""fazhi's settings with the toy ledger and no real one: the kit must stand on its own."""

from __future__ import annotations

from fazhi.settings import *  # noqa: F403
from fazhi.settings import INSTALLED_APPS as _ALL

INSTALLED_APPS = [app for app in _ALL if not app.startswith("fazhi.ledgers.")]
