package dev.latchkey.jdbc;

import dev.latchkey.Account;
import dev.latchkey.ConflictException;
import dev.latchkey.Page;
import dev.latchkey.PageRequest;
import java.util.Optional;

/** Table {@code latchkey_account}. Deleting an account is the {@link Cascade}'s. */
final class Accounts {
  private static final String INSERT = "INSERT INTO latchkey_account (" + Rows.ACCOUNT_COLUMNS + ") VALUES (?, ?, ?, ?)";
  private static final String FIND = "SELECT " + Rows.ACCOUNT_COLUMNS + " FROM latchkey_account WHERE account_id = ?";
  private static final Jdbc.Keyset<Account> LIST = Jdbc.Keyset.of(
      "SELECT " + Rows.ACCOUNT_COLUMNS + " FROM latchkey_account", "account_id", Rows::account, Account::id);

  private final Jdbc jdbc;

  Accounts(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  void insert(Account account) {
    Args.notNull("account", account);
    jdbc.write("insertAccount", c -> {
      Jdbc.insert(c, INSERT, b -> b.string(account.id()).string(account.name()).instant(account.createdAt()),
          () -> new ConflictException("account " + account.id() + " already exists"));
      return null;
    });
  }

  Optional<Account> find(String accountId) {
    if (!Args.isIdentifier(accountId)) {
      return Optional.empty();
    }
    return jdbc.find("findAccount", FIND, b -> b.string(accountId), Rows::account);
  }

  Page<Account> list(PageRequest page) {
    Args.notNull("page", page);
    return jdbc.list("listAccounts", LIST, Jdbc.Params.NONE, page);
  }
}
