-- Latchkey schema, version 1, PostgreSQL.
--
-- Applied by dev.latchkey.jdbc.JdbcSchema.migrate(dataSource), or by Flyway/Liquibase from
-- classpath:db/latchkey/postgresql. Every statement is idempotent (IF NOT EXISTS), so re-running
-- the script is harmless.
--
-- Conventions:
--  * Identifier columns use COLLATE "C" so that ORDER BY and keyset pagination (id > ?) follow
--    Java's String.compareTo order (identifiers are ASCII letters, digits and '_').
--  * An instant is stored exactly as two columns: <name>_s (epoch seconds, BIGINT) and
--    <name>_ns (nano adjustment 0..999999999, INTEGER). A missing optional instant has both NULL.
--  * Tags are a JSON object of strings, roles and permissions a JSON array of strings, sorted.
--  * No token secret is ever stored: only the hash scheme, pepper version and digest.

CREATE TABLE IF NOT EXISTS latchkey_account (
  account_id    VARCHAR(128) COLLATE "C" NOT NULL,
  name          VARCHAR(256)  NOT NULL,
  created_s     BIGINT        NOT NULL,
  created_ns    INTEGER       NOT NULL,
  CONSTRAINT latchkey_account_pk PRIMARY KEY (account_id)
);

CREATE TABLE IF NOT EXISTS latchkey_principal (
  account_id      VARCHAR(128) COLLATE "C" NOT NULL,
  principal_type  VARCHAR(8)   COLLATE "C" NOT NULL,
  principal_id    VARCHAR(128) COLLATE "C" NOT NULL,
  name            VARCHAR(256)  NOT NULL,
  description     VARCHAR(1024) NOT NULL,
  scope           VARCHAR(400)  NOT NULL,
  roles           VARCHAR(8400) NOT NULL,
  permissions     VARCHAR(8400) NOT NULL,
  enabled         BOOLEAN       NOT NULL,
  created_s       BIGINT        NOT NULL,
  created_ns      INTEGER       NOT NULL,
  version         BIGINT        NOT NULL,
  CONSTRAINT latchkey_principal_pk PRIMARY KEY (account_id, principal_type, principal_id),
  CONSTRAINT latchkey_principal_type_ck CHECK (principal_type IN ('user', 'sa')),
  CONSTRAINT latchkey_principal_account_fk FOREIGN KEY (account_id)
    REFERENCES latchkey_account (account_id)
);

CREATE TABLE IF NOT EXISTS latchkey_api_key (
  account_id           VARCHAR(128) COLLATE "C" NOT NULL,
  owner_type           VARCHAR(8)   COLLATE "C" NOT NULL,
  owner_id             VARCHAR(128) COLLATE "C" NOT NULL,
  key_id               VARCHAR(128) COLLATE "C" NOT NULL,
  name                 VARCHAR(256)  NOT NULL,
  description          VARCHAR(1024) NOT NULL,
  tags                 VARCHAR(25000) NOT NULL,
  scope                VARCHAR(400)  NOT NULL,
  default_lifetime_s   BIGINT,
  default_lifetime_ns  INTEGER,
  created_s            BIGINT        NOT NULL,
  created_ns           INTEGER       NOT NULL,
  version              BIGINT        NOT NULL,
  CONSTRAINT latchkey_api_key_pk PRIMARY KEY (account_id, owner_type, owner_id, key_id),
  CONSTRAINT latchkey_api_key_owner_fk FOREIGN KEY (account_id, owner_type, owner_id)
    REFERENCES latchkey_principal (account_id, principal_type, principal_id)
);

CREATE TABLE IF NOT EXISTS latchkey_token (
  account_id              VARCHAR(128) COLLATE "C" NOT NULL,
  owner_type              VARCHAR(8)   COLLATE "C" NOT NULL,
  owner_id                VARCHAR(128) COLLATE "C" NOT NULL,
  key_id                  VARCHAR(128) COLLATE "C" NOT NULL,
  token_id                VARCHAR(128) COLLATE "C" NOT NULL,
  lookup_id               VARCHAR(128) COLLATE "C" NOT NULL,
  name                    VARCHAR(256)  NOT NULL,
  description             VARCHAR(1024) NOT NULL,
  tags                    VARCHAR(25000) NOT NULL,
  created_s               BIGINT        NOT NULL,
  created_ns              INTEGER       NOT NULL,
  expires_s               BIGINT,
  expires_ns              INTEGER,
  status                  VARCHAR(16)   NOT NULL,
  rotated_s               BIGINT,
  rotated_ns              INTEGER,
  previous_valid_until_s  BIGINT,
  previous_valid_until_ns INTEGER,
  last_used_s             BIGINT,
  last_used_ns            INTEGER,
  hash_scheme             VARCHAR(32)   NOT NULL,
  hash_pepper             INTEGER       NOT NULL,
  hash_digest             VARCHAR(200)  NOT NULL,
  previous_hash_scheme    VARCHAR(32),
  previous_hash_pepper    INTEGER,
  previous_hash_digest    VARCHAR(200),
  version                 BIGINT        NOT NULL,
  CONSTRAINT latchkey_token_pk PRIMARY KEY (account_id, owner_type, owner_id, key_id, token_id),
  CONSTRAINT latchkey_token_status_ck CHECK (status IN ('ACTIVE', 'REVOKED')),
  CONSTRAINT latchkey_token_key_fk FOREIGN KEY (account_id, owner_type, owner_id, key_id)
    REFERENCES latchkey_api_key (account_id, owner_type, owner_id, key_id)
);

-- The verification lookup: one point query by the token's public lookup id.
CREATE UNIQUE INDEX IF NOT EXISTS latchkey_token_lookup_ux ON latchkey_token (lookup_id);

-- Expiry warnings: active tokens by (expiry, lookup id).
CREATE INDEX IF NOT EXISTS latchkey_token_expiry_ix ON latchkey_token (expires_s, expires_ns, lookup_id);

-- The change feed: one row per verification-relevant change, numbered without gaps.
CREATE TABLE IF NOT EXISTS latchkey_change (
  seq          BIGINT        NOT NULL,
  change_type  VARCHAR(16)   NOT NULL,
  subject      VARCHAR(512)  NOT NULL,
  changed_s    BIGINT        NOT NULL,
  changed_ns   INTEGER       NOT NULL,
  CONSTRAINT latchkey_change_pk PRIMARY KEY (seq)
);

-- The single row that hands out change sequence numbers. Writers increment it inside their
-- transaction; its row lock serializes them until commit, so commit order equals sequence order
-- and a rollback gives the numbers back. Deliberately not a SEQUENCE (gaps, out-of-order commits).
CREATE TABLE IF NOT EXISTS latchkey_change_counter (
  id        INTEGER NOT NULL,
  last_seq  BIGINT  NOT NULL,
  CONSTRAINT latchkey_change_counter_pk PRIMARY KEY (id),
  CONSTRAINT latchkey_change_counter_one_row_ck CHECK (id = 1)
);

INSERT INTO latchkey_change_counter (id, last_seq)
  SELECT 1, 0 WHERE NOT EXISTS (SELECT 1 FROM latchkey_change_counter WHERE id = 1);
