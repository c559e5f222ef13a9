-- Latchkey schema, version 3, PostgreSQL: restrictions of API keys and tokens.
--
-- A key or token may be narrowed to some permissions and roles, and to some client addresses.
-- restrict_permissions / restrict_roles: a JSON array of names, sorted; NULL for no restriction
-- (an empty array restricts to nothing). allowed_addresses: a JSON array of CIDR ranges in
-- canonical form, at most 16; NULL for anywhere. Existing rows stay unrestricted. Idempotent.

ALTER TABLE latchkey_api_key ADD COLUMN IF NOT EXISTS restrict_permissions VARCHAR(8400);
ALTER TABLE latchkey_api_key ADD COLUMN IF NOT EXISTS restrict_roles VARCHAR(8400);
ALTER TABLE latchkey_api_key ADD COLUMN IF NOT EXISTS allowed_addresses VARCHAR(1024);

ALTER TABLE latchkey_token ADD COLUMN IF NOT EXISTS restrict_permissions VARCHAR(8400);
ALTER TABLE latchkey_token ADD COLUMN IF NOT EXISTS restrict_roles VARCHAR(8400);
ALTER TABLE latchkey_token ADD COLUMN IF NOT EXISTS allowed_addresses VARCHAR(1024);
