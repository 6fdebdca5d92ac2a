"""What every signed-in person changes about their own account: name, e-mail, password
(issue 12 item 9). Each change is written to the audit log of every clinic they belong to."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction

from remission.accounts.events import account_event
from remission.accounts.models import User


@transaction.atomic
def update_profile(*, user: Any, first_name: str, last_name: str, email: str) -> None:
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        # The same words as any other refusal of an address, so nothing is disclosed.
        raise ValidationError({"email": "This e-mail address cannot be used."})
    changed = [
        label
        for label, old, new in (
            ("name", (user.first_name, user.last_name), (first_name.strip(), last_name.strip())),
            ("e-mail", user.email, email),
        )
        if old != new
    ]
    if not changed:
        return
    user.first_name, user.last_name, user.email = first_name.strip(), last_name.strip(), email
    user.save(update_fields=["first_name", "last_name", "email"])
    account_event(actor=user, subject=user, summary=f"changed own {' and '.join(changed)}")


@transaction.atomic
def change_password(*, user: Any, current: str, new: str) -> None:
    """Change one's own password under the same validators as everywhere else."""
    problems: dict[str, list[str]] = {}
    if not user.check_password(current):
        problems["old_password"] = ["Your current password is not right."]
    try:
        validate_password(new, user)
    except ValidationError as exc:
        problems["new_password1"] = list(exc.messages)
    if problems:
        raise ValidationError(problems)
    user.set_password(new)
    user.save(update_fields=["password"])
    account_event(actor=user, subject=user, summary="changed own password")
