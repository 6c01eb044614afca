"""The returns import's job: one periodic task per linked account."""

IMPORT_RETURNS_JOB = "allegro.import_returns"
