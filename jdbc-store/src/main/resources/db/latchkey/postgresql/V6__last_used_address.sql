-- Latchkey schema, version 6, PostgreSQL: the client address of a token's last use.
--
-- One nullable column, written by the last-used sink together with last_used_s/ns (same statement,
-- same batch): the canonical text of the address (IPv4 dotted quad or RFC 5952 IPv6, at most 39
-- characters), NULL when the last use came without an address or the token was never used.
-- Display only: verification never reads it. Idempotent.

ALTER TABLE latchkey_token ADD COLUMN IF NOT EXISTS last_used_address VARCHAR(45);
