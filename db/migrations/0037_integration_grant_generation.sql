-- Which grant (connect, reconnect) an integration's credentials come from: bumped when credentials are saved or
-- cleared, never by a token refresh. A connection problem reported from an older grant is news of a replaced grant.
ALTER TABLE "integrations" ADD COLUMN "grant_generation" integer DEFAULT 0 NOT NULL;
