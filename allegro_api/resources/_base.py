"""Base class of resources."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel

from allegro_api._transport import Requester

__all__ = ["Body", "Resource"]

M = TypeVar("M", bound=BaseModel)

#: A request body: a pydantic model or a plain dict (dumped ``by_alias``, without ``None``).
Body = BaseModel | dict[str, Any]


class Resource:
    def __init__(self, requester: Requester) -> None:
        self._r = requester

    @staticmethod
    def _parse(model: type[M], data: Any) -> M:
        return model.model_validate(data if data is not None else {})
