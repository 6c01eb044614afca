from __future__ import annotations

from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User


def acting_user(user: AbstractBaseUser | AnonymousUser | None) -> User | None:
    """The signed-in user to record as the author of a change; None for anonymous or system."""
    if user is None or not user.is_authenticated:
        return None
    return cast("User", user)
