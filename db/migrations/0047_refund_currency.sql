-- The currency of refund_total (the shop's, as the refund was read): the API and the console say "26.10 GBP".
-- Rows written before it stay NULL and show the amount alone.
ALTER TABLE "refund_syncs" ADD COLUMN "refund_currency" text;
