from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "shop.core"
    label = "core"
    verbose_name = _("Podstawy")

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from shop.core import checks  # noqa: F401  (registers the system checks)
        from shop.core.sqlite_lock import sqlite_short_lock_waits

        connection_created.connect(sqlite_lift_parameter_limit)
        connection_created.connect(sqlite_short_lock_waits)


def sqlite_lift_parameter_limit(sender: object, connection: object, **kwargs: object) -> None:
    """Django assumes SQLite's old limit of 999 parameters per statement; since 3.32 it is
    32,766, so bulk inserts and ``IN`` lists need far fewer statements."""
    import sqlite3

    if getattr(connection, "vendor", "") == "sqlite" and sqlite3.sqlite_version_info >= (3, 32):
        connection.features.max_query_params = 32766  # type: ignore[attr-defined]
