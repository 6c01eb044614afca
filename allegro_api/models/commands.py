"""Bulk offer commands (publication, quantity, price) and their reports."""

from __future__ import annotations

from datetime import datetime

from pydantic import Field

from allegro_api._exceptions import ErrorDetail
from allegro_api.models.common import AllegroModel, IdRef

__all__ = ["CommandReport", "CommandTask", "TaskCount", "TaskReport"]


class TaskCount(AllegroModel):
    failed: int | None = None
    success: int | None = None
    total: int | None = None


class CommandReport(AllegroModel):
    """``GeneralReport``: the command's id and how many offers it has processed."""

    id: str | None = None
    created_at: datetime | None = None
    completed_at: datetime | None = None
    task_count: TaskCount | None = None

    @property
    def completed(self) -> bool:
        return self.completed_at is not None


class CommandTask(AllegroModel):
    offer: IdRef | None = None
    status: str | None = None
    message: str | None = None
    field: str | None = None
    errors: list[dict[str, object]] | None = None

    @property
    def error_details(self) -> list[ErrorDetail]:
        return [ErrorDetail.from_json(e) for e in self.errors or []]


class TaskReport(AllegroModel):
    tasks: list[CommandTask] = Field(default_factory=list)
