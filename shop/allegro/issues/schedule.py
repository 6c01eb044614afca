"""The imports of discussions, complaints and ratings: one periodic task each per linked account
(shop.allegro.common.account_jobs)."""

IMPORT_ISSUES_JOB = "allegro.import_issues"
IMPORT_RATINGS_JOB = "allegro.import_ratings"
