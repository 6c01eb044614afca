"""Admin edits land in the shop's audit log too (who changed which fields of what, when)."""

from __future__ import annotations

from typing import Any

from django.db.models import Model, QuerySet
from django.http import HttpRequest

from shop.core.services.audit import audit_log_write


def _changed_fields(message: Any) -> list[str]:
    fields: list[str] = []
    for entry in message if isinstance(message, list) else []:
        fields.extend(entry.get("changed", {}).get("fields", []))
    return fields


class AuditedAdminMixin:
    def log_addition(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        audit_log_write(action="admin.add", obj=obj, user=request.user)
        return super().log_addition(request, obj, message)  # type: ignore[misc]

    def log_change(self, request: HttpRequest, obj: Model, message: Any) -> Any:
        fields = _changed_fields(message)
        audit_log_write(
            action="admin.change", obj=obj, user=request.user, changes={"fields": fields}
        )
        return super().log_change(request, obj, message)  # type: ignore[misc]

    def log_deletions(self, request: HttpRequest, queryset: QuerySet[Any]) -> Any:
        for obj in queryset:
            audit_log_write(action="admin.delete", obj=obj, user=request.user)
        return super().log_deletions(request, queryset)  # type: ignore[misc]
