-- Latchkey schema, version 4, H2: rate limits on API keys and tokens.
--
-- Three nullable columns per table, all set or all NULL (no limit): requests added per period,
-- the period in seconds, and the bucket's capacity (burst). The verification lookup reads the
-- key's columns together with the token's row (a join on the key's primary key). Idempotent.

ALTER TABLE latchkey_api_key ADD COLUMN IF NOT EXISTS rate_requests BIGINT;
ALTER TABLE latchkey_api_key ADD COLUMN IF NOT EXISTS rate_per_s BIGINT;
ALTER TABLE latchkey_api_key ADD COLUMN IF NOT EXISTS rate_burst BIGINT;
ALTER TABLE latchkey_token ADD COLUMN IF NOT EXISTS rate_requests BIGINT;
ALTER TABLE latchkey_token ADD COLUMN IF NOT EXISTS rate_per_s BIGINT;
ALTER TABLE latchkey_token ADD COLUMN IF NOT EXISTS rate_burst BIGINT;
