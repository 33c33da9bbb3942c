from __future__ import annotations

import shutil
from collections.abc import Iterator
from typing import Any

import pytest

from conftest import require_in_ci
from fazhi.core.directory.config import BACKEND, directory_settings
from fazhi.core.directory.tests.slapd import Slapd, find_slapd


@pytest.fixture(scope="session")
def slapd_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Slapd]:
    binary = find_slapd()
    if binary is None or shutil.which("openssl") is None:
        require_in_ci("slapd or openssl not found (make system-deps installs slapd)")
    assert binary is not None
    server = Slapd(binary, tmp_path_factory.mktemp("slapd"))
    server.start()
    yield server
    server.stop()


def enable_directory(settings: Any, environ: dict[str, str]) -> None:
    """Turn directory sign-in on as settings.py does when FAZHI_LDAP_URI is set."""
    local = [b for b in settings.AUTHENTICATION_BACKENDS if b != BACKEND]
    for name, value in directory_settings(environ, local).items():
        setattr(settings, name, value)


@pytest.fixture
def directory(slapd_server: Slapd, settings: Any, cast: Any) -> Slapd:
    """The directory as directory.ldif has it, and fazhi signing in against it."""
    slapd_server.reset()
    enable_directory(settings, slapd_server.env())
    return slapd_server
