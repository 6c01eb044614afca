"""Shared model base and small value objects."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict
from pydantic.alias_generators import to_camel

__all__ = ["AllegroModel", "ExternalId", "IdRef", "ListOrEmpty", "Money", "NamedRef", "Page"]

T = TypeVar("T")


def _empty_if_none(value: Any) -> Any:
    return [] if value is None else value


# A list the spec requires but Allegro sometimes sends as ``null``: read as empty.
ListOrEmpty = Annotated[list[T], BeforeValidator(_empty_if_none)]


class AllegroModel(BaseModel):
    """Base of every model.

    Real Allegro responses send ``null`` where the spec does not allow it and carry fields the
    spec lacks, so every field is optional with a default, and unknown fields are kept
    (``extra="allow"``) — a model dumped back with :meth:`to_api` still contains them.
    Field names are snake_case with camelCase aliases; both are accepted on input.
    """

    model_config = ConfigDict(
        extra="allow",
        populate_by_name=True,
        alias_generator=to_camel,
        protected_namespaces=(),
    )

    def to_api(self) -> dict[str, Any]:
        """The wire form: camelCase, ``None`` fields left out, Decimals as strings."""
        return self.model_dump(mode="json", by_alias=True, exclude_none=True)


class IdRef(AllegroModel):
    """``{"id": "..."}``."""

    id: str | None = None


class NamedRef(AllegroModel):
    id: str | None = None
    name: str | None = None


class ExternalId(AllegroModel):
    id: str | None = None


class Money(AllegroModel):
    """``{"amount": "123.45", "currency": "PLN"}``; the amount is a Decimal, sent as a string."""

    amount: Decimal | None = None
    currency: str | None = None


class Page(AllegroModel):
    """Counters of offset-paged lists."""

    count: int | None = None
    total_count: int | None = None
