"""The fee import's job: one periodic task per linked account."""

IMPORT_BILLING_JOB = "allegro.import_billing"
