package dev.latchkey.jdbc;

import dev.latchkey.ApiKeyRef;
import dev.latchkey.PrincipalRef;
import dev.latchkey.TokenRef;
import dev.latchkey.spi.Removal;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The four deletes, one shape: lock the entity's row and everything below it top-down (principals,
 * keys, tokens, each in identifier order), so that concurrent inserts below it wait and concurrent
 * deletes cannot deadlock; delete bottom-up; append one change per token and per principal removed.
 */
final class Cascade {
  private static final String LOCK_ACCOUNT = "SELECT account_id FROM latchkey_account WHERE account_id = ? FOR UPDATE";
  private static final String LOCK_PRINCIPALS_IN_ACCOUNT = "SELECT principal_type, principal_id FROM latchkey_principal"
      + " WHERE account_id = ? ORDER BY principal_type, principal_id FOR UPDATE";
  private static final String LOCK_PRINCIPAL = "SELECT version FROM latchkey_principal"
      + " WHERE account_id = ? AND principal_type = ? AND principal_id = ? FOR UPDATE";
  private static final String DELETE_ACCOUNT = "DELETE FROM latchkey_account WHERE account_id = ?";
  private static final String DELETE_PRINCIPALS_IN_ACCOUNT = "DELETE FROM latchkey_principal WHERE account_id = ?";
  private static final String DELETE_PRINCIPAL = "DELETE FROM latchkey_principal"
      + " WHERE account_id = ? AND principal_type = ? AND principal_id = ?";

  private static final String OWNER = "account_id = ? AND owner_type = ? AND owner_id = ?";
  private static final Below IN_ACCOUNT = Below.where("account_id = ?", true);
  private static final Below OF_OWNER = Below.where(OWNER, true);
  private static final Below OF_KEY = Below.where(OWNER + " AND key_id = ?", true);
  private static final Below ONE_TOKEN = Below.where(OWNER + " AND key_id = ? AND token_id = ?", false);

  /** The statements on the keys and tokens matching one condition (keys left alone if {@code lockKeys} is null). */
  private record Below(String lockKeys, String lockTokens, String deleteTokens, String deleteKeys) {
    static Below where(String condition, boolean withKeys) {
      return new Below(
          withKeys ? "SELECT key_id FROM latchkey_api_key WHERE " + condition + " ORDER BY key_id FOR UPDATE" : null,
          "SELECT account_id, owner_type, owner_id, lookup_id FROM latchkey_token WHERE " + condition
              + " ORDER BY owner_type, owner_id, key_id, token_id FOR UPDATE",
          "DELETE FROM latchkey_token WHERE " + condition,
          withKeys ? "DELETE FROM latchkey_api_key WHERE " + condition : null);
    }
  }

  private record OwnedToken(PrincipalRef owner, String lookupId) {}

  private final Jdbc jdbc;
  private final ChangeLog changes;

  Cascade(Jdbc jdbc, ChangeLog changes) {
    this.jdbc = jdbc;
    this.changes = changes;
  }

  Optional<Removal> deleteAccount(String accountId) {
    if (!Args.isIdentifier(accountId)) {
      return Optional.empty();
    }
    Jdbc.Params id = b -> b.string(accountId);
    return jdbc.write("deleteAccount", c -> {
      if (!Jdbc.exists(c, LOCK_ACCOUNT, id)) {
        return Optional.empty();
      }
      List<PrincipalRef> principals = Jdbc.all(c, LOCK_PRINCIPALS_IN_ACCOUNT, id,
          rs -> new PrincipalRef(accountId, Rows.type(rs.getString(1)), rs.getString(2)));
      return Optional.of(remove(c, IN_ACCOUNT, id, principals, DELETE_PRINCIPALS_IN_ACCOUNT, DELETE_ACCOUNT));
    });
  }

  Optional<Removal> deletePrincipal(PrincipalRef ref, long expectedVersion) {
    Args.notNull("principal", ref);
    Jdbc.Params id = b -> b.principal(ref);
    return jdbc.write("deletePrincipal", c -> {
      // Compare-and-set: the version is checked under the row lock that the delete keeps.
      Optional<Long> version = Jdbc.one(c, LOCK_PRINCIPAL, id, rs -> rs.getLong(1));
      if (version.isEmpty() || version.get() != expectedVersion) {
        return Optional.empty();
      }
      return Optional.of(remove(c, OF_OWNER, id, List.of(ref), DELETE_PRINCIPAL));
    });
  }

  Optional<Removal> deleteApiKey(ApiKeyRef ref) {
    Args.notNull("API key", ref);
    Jdbc.Params id = b -> b.apiKey(ref);
    return jdbc.write("deleteApiKey", c -> Jdbc.exists(c, OF_KEY.lockKeys(), id)
        ? Optional.of(remove(c, OF_KEY, id, List.of()))
        : Optional.empty());
  }

  Optional<Removal> deleteToken(TokenRef ref) {
    Args.notNull("token", ref);
    return jdbc.write("deleteToken", c -> {
      Removal removal = remove(c, ONE_TOKEN, b -> b.token(ref), List.of());
      return removal.tokenLookupIds().isEmpty() ? Optional.empty() : Optional.of(removal);
    });
  }

  /**
   * Locks and deletes the keys and tokens {@code below} selects, then runs {@code thenDelete} (the
   * principal and account rows, bottom-up), and appends the changes: per principal removed, its
   * tokens then itself; without principals, the tokens. The caller has locked the entity's own row.
   */
  private Removal remove(Connection c, Below below, Jdbc.Params params, List<PrincipalRef> principals,
      String... thenDelete) throws SQLException {
    if (below.lockKeys() != null) {
      Jdbc.all(c, below.lockKeys(), params, rs -> rs.getString(1));
    }
    List<OwnedToken> tokens = Jdbc.all(c, below.lockTokens(), params, rs -> new OwnedToken(
        new PrincipalRef(rs.getString(1), Rows.type(rs.getString(2)), rs.getString(3)), rs.getString(4)));
    Jdbc.update(c, below.deleteTokens(), params);
    if (below.deleteKeys() != null) {
      Jdbc.update(c, below.deleteKeys(), params);
    }
    for (String sql : thenDelete) {
      Jdbc.update(c, sql, params);
    }

    Map<PrincipalRef, List<String>> tokensByOwner = new LinkedHashMap<>();
    Set<String> lookupIds = new LinkedHashSet<>();
    for (OwnedToken t : tokens) {
      tokensByOwner.computeIfAbsent(t.owner(), o -> new ArrayList<>()).add(t.lookupId());
      lookupIds.add(t.lookupId());
    }
    List<ChangeLog.Pending> pending = new ArrayList<>();
    if (principals.isEmpty()) {
      lookupIds.forEach(id -> pending.add(ChangeLog.Pending.token(id)));
    }
    for (PrincipalRef p : principals) {
      tokensByOwner.getOrDefault(p, List.of()).forEach(id -> pending.add(ChangeLog.Pending.token(id)));
      pending.add(ChangeLog.Pending.principal(p));
    }
    changes.append(c, pending);
    return new Removal(Set.copyOf(principals), lookupIds);
  }
}
