"""The directory sign-in backend: django-auth-ldap binds as the user and reads their entry and
groups; `sign_in_from_directory` does everything on fazhi's side. Listed after django-axes and
Django's own backend only when FAZHI_LDAP_URI is set (config.py)."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.dispatch import receiver
from django_auth_ldap.backend import LDAPBackend, ldap_error

from fazhi.core.directory.actions import sign_in_from_directory

logger = logging.getLogger(__name__)

# Read by web/login.html instead of the wrong-password line.
UNAVAILABLE_ATTR = "fazhi_directory_unavailable"


def _first(attrs: Any, name: str) -> str:
    values = attrs.get(name) or []
    return str(values[0]).strip() if values else ""


class DirectoryBackend(LDAPBackend):
    def get_user(self, user_id: Any) -> Any:
        # As Django's own backend does: deactivating an account in fazhi ends its sessions.
        user = super().get_user(user_id)
        return user if user is not None and user.is_active else None

    def get_or_build_user(self, username: str, ldap_user: Any) -> tuple[Any, bool]:
        # The library calls this once the password is accepted. Read everything from the
        # directory first (the group search is the last network call), then write in one go.
        attrs = ldap_user.attrs or {}
        group_dns = set(ldap_user.group_dns)
        result = sign_in_from_directory(
            username=username,
            dn=ldap_user.dn,
            name=_first(attrs, "displayName") or _first(attrs, "cn"),
            group_dns=group_dns,
            role_map=settings.FAZHI_LDAP_ROLE_MAP,
        )
        if result.user is None:
            logger.info("directory sign-in of %s refused: %s", username, result.refused)
            raise ldap_user.AuthenticationFailed(result.refused)
        # "Not built": the library then neither populates nor saves the user again.
        return result.user, False


@receiver(ldap_error, sender=DirectoryBackend)
def _directory_unavailable(sender: Any, request: Any = None, **kwargs: Any) -> None:
    """The directory could not be asked (down, unreachable, TLS refused, the search account
    rejected): the login page says so rather than blaming the password."""
    if request is not None:
        setattr(request, UNAVAILABLE_ATTR, True)
