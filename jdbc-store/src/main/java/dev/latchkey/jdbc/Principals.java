package dev.latchkey.jdbc;

import dev.latchkey.ConflictException;
import dev.latchkey.NotFoundException;
import dev.latchkey.Page;
import dev.latchkey.PageRequest;
import dev.latchkey.Principal;
import dev.latchkey.PrincipalRef;
import dev.latchkey.PrincipalType;
import dev.latchkey.spi.ChangeFeed;
import java.util.List;
import java.util.Optional;

/** Table {@code latchkey_principal}. Deleting a principal is the {@link Cascade}'s. */
final class Principals {
  private static final String LOCK_ACCOUNT = "SELECT account_id FROM latchkey_account WHERE account_id = ? FOR UPDATE";
  private static final String INSERT = "INSERT INTO latchkey_principal (" + Rows.PRINCIPAL_COLUMNS + ")"
      + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final String FIND = "SELECT " + Rows.PRINCIPAL_COLUMNS + " FROM latchkey_principal"
      + " WHERE account_id = ? AND principal_type = ? AND principal_id = ?";
  private static final String FIND_FOR_UPDATE = FIND + " FOR UPDATE";
  /** Compare-and-set on the version; the SET list is {@link Rows#bindPrincipalValues}'s order. */
  private static final String UPDATE = "UPDATE latchkey_principal SET name = ?, description = ?, scope = ?, roles = ?,"
      + " permissions = ?, enabled = ?, created_s = ?, created_ns = ?, version = ?"
      + " WHERE account_id = ? AND principal_type = ? AND principal_id = ? AND version = ?";
  private static final Jdbc.Keyset<Principal> LIST = Jdbc.Keyset.of("SELECT " + Rows.PRINCIPAL_COLUMNS
      + " FROM latchkey_principal WHERE account_id = ? AND principal_type = ?", "principal_id", Rows::principal,
      p -> p.ref().id());

  private final Jdbc jdbc;
  private final ChangeLog changes;

  Principals(Jdbc jdbc, ChangeLog changes) {
    this.jdbc = jdbc;
    this.changes = changes;
  }

  void insert(Principal principal) {
    Args.notNull("principal", principal);
    PrincipalRef ref = principal.ref();
    jdbc.write("insertPrincipal", c -> {
      Jdbc.require(c, LOCK_ACCOUNT, b -> b.string(ref.accountId()),
          () -> new NotFoundException("account " + ref.accountId() + " does not exist"));
      Jdbc.insert(c, INSERT, b -> Rows.bindPrincipalValues(b.principal(ref), principal),
          () -> new ConflictException(ref + " already exists"));
      return null;
    });
  }

  Optional<Principal> find(PrincipalRef ref) {
    Args.notNull("principal", ref);
    return jdbc.find("findPrincipal", FIND, b -> b.principal(ref), Rows::principal);
  }

  boolean update(long expectedVersion, Principal updated) {
    Args.checkNextVersion(expectedVersion, Args.notNull("principal", updated).version());
    PrincipalRef ref = updated.ref();
    return jdbc.write("updatePrincipal", c -> {
      // Read and lock the stored row first: whether the feed gets a change depends on what changes.
      Principal current = Jdbc.one(c, FIND_FOR_UPDATE, b -> b.principal(ref), Rows::principal).orElse(null);
      if (current == null || current.version() != expectedVersion
          || Jdbc.update(c, UPDATE, b -> Rows.bindPrincipalValues(b, updated).principal(ref).longValue(expectedVersion)) != 1) {
        return false;
      }
      if (ChangeFeed.affectsVerification(current, updated)) {
        changes.append(c, List.of(ChangeLog.Pending.principal(ref)));
      }
      return true;
    });
  }

  Page<Principal> list(String accountId, PrincipalType type, PageRequest page) {
    Args.notNull("principal type", type);
    Args.notNull("page", page);
    if (!Args.isIdentifier(accountId)) {
      return Page.of(List.of(), null);
    }
    return jdbc.list("listPrincipals", LIST, b -> b.string(accountId).string(type.pathSegment()), page);
  }
}
