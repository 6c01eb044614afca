from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db import models

from shop.core.models import AuditLogEntry
from shop.core.redact import redact_data
from shop.core.users import acting_user


def audit_log_write(
    *,
    action: str,
    obj: models.Model | None = None,
    user: AbstractBaseUser | AnonymousUser | None = None,
    changes: dict[str, Any] | None = None,
) -> AuditLogEntry:
    """Record one action; every text in ``changes`` is redacted (callers mask secrets too)."""
    return AuditLogEntry.objects.create(
        action=action,
        user=acting_user(user),
        content_type=ContentType.objects.get_for_model(obj) if obj is not None else None,
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        changes=redact_data(changes or {}),
    )


def audit_log_write_many(
    *,
    action: str,
    entries: Sequence[tuple[models.Model, dict[str, Any]]],
    user: AbstractBaseUser | AnonymousUser | None = None,
) -> None:
    """Record one action on many objects (``(object, changes)`` pairs) in one statement."""
    if not entries:
        return
    author = acting_user(user)
    content_types = ContentType.objects.get_for_models(*{type(obj) for obj, _c in entries})
    AuditLogEntry.objects.bulk_create(
        AuditLogEntry(
            action=action,
            user=author,
            content_type=content_types[type(obj)],
            object_id=str(obj.pk),
            object_repr=str(obj)[:200],
            changes=changes,
        )
        for obj, changes in entries
    )
