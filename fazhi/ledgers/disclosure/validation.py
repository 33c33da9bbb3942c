"""Checks shared by the forms, the actions and the import."""

from __future__ import annotations

from fazhi.core.imports.idnumber import validate_id_number
from fazhi.ledgers.disclosure.models import ApplicantCategory


def check_id_number(id_number: str, applicant_category: str) -> str | None:
    """A natural person's resident ID must pass GB 11643; organisations' codes are kept as given."""
    value = id_number.strip()
    if not value:
        return None
    if len(value) > 32:
        return "证件号码过长"
    if applicant_category == ApplicantCategory.NATURAL_PERSON and len(value) == 18:
        return validate_id_number(value)
    return None
