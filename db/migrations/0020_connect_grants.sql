ALTER TABLE "oauth_states" ADD COLUMN "granted_credentials" text;
