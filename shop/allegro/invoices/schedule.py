"""The invoice scan refresh's job: one periodic task per linked account."""

REFRESH_INVOICES_JOB = "allegro.refresh_invoices"
