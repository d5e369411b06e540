-- What the engine last wrote to (or found in) each linked ledger record, one hash per field it owns: an edit in the
-- store writes only the fields whose hash changed, and an edit that changed none of them makes no ledger request.
ALTER TABLE "entity_ledger_links" ADD COLUMN "written_hashes" jsonb;
