package dev.latchkey.cli;

import dev.latchkey.Account;
import dev.latchkey.PageRequest;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "accounts", description = "Accounts: the tenants that own users, service accounts, keys and tokens.",
    subcommands = {
        AccountCommands.Create.class,
        AccountCommands.ListAccounts.class,
        AccountCommands.Get.class,
        AccountCommands.Delete.class})
final class AccountCommands extends Group {
  static final List<Output.Column> COLUMNS = List.of(
      new Output.Column("ID", "id"), new Output.Column("CREATED", "createdAt"), new Output.Column("NAME", "name"));

  @Command(name = "create", description = "Create an account.")
  static final class Create extends StoreCommand {
    @Parameters(index = "0", paramLabel = "<account>",
        description = "Account identifier: letters, digits and _, starting with a letter or _.")
    Values.AccountId id;

    @Option(names = "--name", paramLabel = "<name>", description = "Display name (default: the identifier).")
    String name;

    @Override
    Operation prepare(Session.Config config) {
      String displayName = name == null ? id.id() : name;
      new Account(id.id(), displayName, Instant.EPOCH); // validates the name now
      return s -> {
        Account a = s.manager().createAccount(s.actor(), id.id(), displayName);
        return done("Created account " + a.id() + ".", Views.account(a));
      };
    }
  }

  @Command(name = "list", description = "List accounts (system actor only).")
  static final class ListAccounts extends StoreCommand {
    @Mixin
    PageOptions page;

    @Override
    Operation prepare(Session.Config config) {
      PageRequest request = page.request();
      return listing(COLUMNS, s -> s.reads().accounts(request).map(Views::account));
    }
  }

  @Command(name = "get", description = "Show one account.")
  static final class Get extends StoreCommand {
    @Parameters(index = "0", paramLabel = "<account>")
    Values.AccountId id;

    @Override
    Operation prepare(Session.Config config) {
      return show(s -> Views.account(s.reads().account(id.id())));
    }
  }

  @Command(name = "delete", description = "Delete an account with all its users, service accounts, keys and tokens.")
  static final class Delete extends StoreCommand {
    @Parameters(index = "0", paramLabel = "<account>")
    Values.AccountId id;

    @Option(names = "--yes", description = "Confirm: everything in the account is deleted and its tokens stop working.")
    boolean yes;

    @Override
    Operation prepare(Session.Config config) {
      if (!yes) {
        throw new UsageException("deleting account " + id + " deletes everything in it;"
            + " add --yes to confirm");
      }
      return deletion("account", id, s -> s.manager().deleteAccount(s.actor(), id.id()));
    }
  }
}
