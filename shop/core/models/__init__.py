from shop.core.models.audit import AuditLogEntry
from shop.core.models.base import TimeStampedModel

__all__ = ["AuditLogEntry", "TimeStampedModel"]
