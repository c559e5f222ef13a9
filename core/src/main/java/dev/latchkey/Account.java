package dev.latchkey;

import java.time.Instant;

/** The tenant that owns users, service accounts, keys and tokens. */
public record Account(String id, String name, Instant createdAt) {
  public Account {
    Checks.identifier("account id", id);
    Checks.name("account name", name);
    Checks.notNull("createdAt", createdAt);
  }
}
