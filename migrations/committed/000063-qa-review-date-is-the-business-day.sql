--! Previous: sha1:845de43a86c9852f61172b84875ab591f2f6d11b
--! Hash: sha1:834d18e82f9f5823a94572503a2d43dec3a73c7f
--! Message: QA review date is the business day

-- A review made between midnight UTC and midnight in the business time zone
-- belonged to tomorrow's (UTC) date, so it counted in the wrong QA month at
-- each month's start. The review date is the business day, like every other
-- "today" in the product.
alter table app_public.quality_assurance_reviews
  alter column review_date set default app_hidden.business_day(now());
