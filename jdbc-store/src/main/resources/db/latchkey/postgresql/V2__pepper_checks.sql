-- Latchkey schema, version 2, PostgreSQL: key-check values of peppers.
--
-- One row per pepper version: an HMAC of a constant under that pepper (never the pepper itself),
-- recorded by the first node that starts with the version, so that a node given a different
-- pepper under a known version number refuses to start. Idempotent.

CREATE TABLE IF NOT EXISTS latchkey_pepper_check (
  pepper_version  INTEGER      NOT NULL,
  check_value     VARCHAR(128) NOT NULL,
  created_s       BIGINT       NOT NULL,
  created_ns      INTEGER      NOT NULL,
  CONSTRAINT latchkey_pepper_check_pk PRIMARY KEY (pepper_version)
);
