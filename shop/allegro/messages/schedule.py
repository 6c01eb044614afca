"""The message import's job: one periodic task per linked account."""

IMPORT_MESSAGES_JOB = "allegro.import_messages"
