package dev.latchkey.cli;

import dev.latchkey.NewServiceAccount;
import dev.latchkey.NewUser;
import dev.latchkey.PageRequest;
import dev.latchkey.Principal;
import dev.latchkey.PrincipalEdit;
import dev.latchkey.PrincipalRef;
import dev.latchkey.PrincipalType;
import dev.latchkey.Scope;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The {@code users} and {@code service-accounts} commands: one set of command classes, registered
 * once per principal type by {@link #group}, which also words each command's description for its
 * type. A principal is named {@code account/id} or, as listings print it, {@code account/user/id} /
 * {@code account/sa/id}.
 */
final class PrincipalCommands {
  static final List<Output.Column> COLUMNS = List.of(
      new Output.Column("PRINCIPAL", "path"),
      new Output.Column("ENABLED", "enabled"),
      new Output.Column("SCOPE", "scope"),
      new Output.Column("ROLES", "roles"),
      new Output.Column("PERMISSIONS", "permissions"),
      new Output.Column("NAME", "name"));

  private PrincipalCommands() {}

  /** The group of commands on principals of {@code type}. */
  static CommandLine group(PrincipalType type) {
    String a = Values.describe(type); // "user" or "service account"
    CommandLine group = new CommandLine(new PrincipalGroup());
    CommandSpec spec = group.getCommandSpec();
    if (type == PrincipalType.USER) {
      spec.name("users").usageMessage().description("Users: people's personal accounts inside an account.");
      add(group, "create", new CreateUser(), "Create a user (at account scope).");
    } else {
      spec.name("service-accounts").aliases("sa")
          .usageMessage().description("Service accounts: non-human principals at account, org or project scope.");
      add(group, "create", new CreateServiceAccount(), "Create a service account. Needs the account_admin role or the"
          + " latchkey.service_accounts.manage permission when run with --as.");
    }
    add(group, "list", new ListPrincipals(type), "List the " + a + "s of an account.");
    add(group, "get", new Get(type), "Show a " + a + ".");
    add(group, "edit", new Edit(type), "Change a " + a + "'s name, description, roles or permissions."
        + " --role and --permission replace the whole set.");
    add(group, "disable", new SetEnabled(type, false), "Disable a " + a + ": all its tokens stop working at once.");
    add(group, "enable", new SetEnabled(type, true), "Enable a " + a + " again: its tokens that are still valid work"
        + " again.");
    add(group, "delete", new Delete(type), "Delete a " + a + " with its API keys and tokens.");
    return group;
  }

  private static void add(CommandLine group, String name, StoreCommand command, String description) {
    CommandLine sub = new CommandLine(command);
    sub.getCommandSpec().usageMessage().description(description);
    group.addSubcommand(name, sub);
  }

  /** {@code users} or {@code service-accounts}; named by {@link #group}. */
  @Command
  static final class PrincipalGroup extends Group {}

  /** Roles and permissions given on the command line; each option repeatable or comma-separated. */
  static final class Grants {
    @Option(names = "--role", paramLabel = "<role>", split = ",",
        description = "A role (repeatable or comma-separated), e.g. account_admin.")
    List<String> roles = List.of();

    @Option(names = "--permission", paramLabel = "<permission>", split = ",",
        description = "A permission (repeatable or comma-separated), e.g. deploy:write.")
    List<String> permissions = List.of();

    Set<String> roleSet() {
      return new LinkedHashSet<>(roles);
    }

    Set<String> permissionSet() {
      return new LinkedHashSet<>(permissions);
    }
  }

  /** What a new principal gets besides its identifier: a name, a description, roles and permissions. */
  static final class NewPrincipal {
    @Option(names = "--name", paramLabel = "<name>", description = "Display name (default: the identifier).")
    String name;

    @Option(names = "--description", paramLabel = "<text>", description = "Description (up to 1024 characters).")
    String description;

    @Mixin
    Grants grants;

    String name(PrincipalRef ref) {
      return name == null ? ref.id() : name;
    }
  }

  /** A command on one principal of its type. */
  abstract static class OnPrincipal extends StoreCommand {
    private final PrincipalType type;

    @Parameters(index = "0", paramLabel = "<principal>",
        description = "account/id, or account/user/id and account/sa/id as listings print them.")
    String path;

    OnPrincipal(PrincipalType type) {
      this.type = type;
    }

    PrincipalRef ref() {
      return Values.principalOfType(path, type);
    }

    String what() {
      return Values.describe(type);
    }
  }

  static final class CreateUser extends OnPrincipal {
    @Mixin
    NewPrincipal details;

    CreateUser() {
      super(PrincipalType.USER);
    }

    @Override
    Operation prepare(Session.Config config) {
      PrincipalRef ref = ref();
      NewUser user = new NewUser(ref, details.name(ref), details.description, details.grants.roleSet(),
          details.grants.permissionSet());
      return s -> {
        Principal p = s.manager().createUser(s.actor(), user);
        return done("Created user " + p.ref() + ".", Views.principal(p));
      };
    }
  }

  static final class CreateServiceAccount extends OnPrincipal {
    @Option(names = "--scope", paramLabel = "<scope>",
        description = "account, account/org or account/org/project (default: the account).")
    Scope scope;

    @Mixin
    NewPrincipal details;

    CreateServiceAccount() {
      super(PrincipalType.SERVICE_ACCOUNT);
    }

    @Override
    Operation prepare(Session.Config config) {
      PrincipalRef ref = ref();
      Scope at = scope == null ? Scope.account(ref.accountId()) : scope;
      if (!at.accountId().equals(ref.accountId())) {
        throw new UsageException("--scope " + at + " is outside account " + ref.accountId()
            + "; a service account's scope starts with its account, e.g. " + ref.accountId() + "/platform");
      }
      NewServiceAccount sa = new NewServiceAccount(at, ref.id(), details.name(ref), details.description,
          details.grants.roleSet(), details.grants.permissionSet());
      return s -> {
        Principal p = s.manager().createServiceAccount(s.actor(), sa);
        return done("Created service account " + p.ref() + " at scope " + p.scope() + ".", Views.principal(p));
      };
    }
  }

  static final class ListPrincipals extends StoreCommand {
    private final PrincipalType type;

    @Parameters(index = "0", paramLabel = "<account>")
    Values.AccountId account;

    @Mixin
    PageOptions page;

    ListPrincipals(PrincipalType type) {
      this.type = type;
    }

    @Override
    Operation prepare(Session.Config config) {
      PageRequest request = page.request();
      return listing(COLUMNS, s -> s.reads().principals(account.id(), type, request).map(Views::principal));
    }
  }

  static final class Get extends OnPrincipal {
    Get(PrincipalType type) {
      super(type);
    }

    @Override
    Operation prepare(Session.Config config) {
      PrincipalRef ref = ref();
      return show(s -> Views.principal(s.reads().principal(ref)));
    }
  }

  /** {@code disable} or {@code enable}. */
  static final class SetEnabled extends OnPrincipal {
    private final boolean enable;

    SetEnabled(PrincipalType type, boolean enable) {
      super(type);
      this.enable = enable;
    }

    @Override
    Operation prepare(Session.Config config) {
      PrincipalRef ref = ref();
      return s -> done(enable
          ? "Enabled " + what() + " " + ref + "; its valid tokens work again."
          : "Disabled " + what() + " " + ref + "; its tokens stop working at once.",
          Views.principal(s.manager().setEnabled(s.actor(), ref, enable)));
    }
  }

  static final class Delete extends OnPrincipal {
    Delete(PrincipalType type) {
      super(type);
    }

    @Override
    Operation prepare(Session.Config config) {
      PrincipalRef ref = ref();
      return deletion(what(), ref, s -> {
        s.manager().deletePrincipal(s.actor(), ref);
        out().say("All API keys and tokens of " + ref + " were deleted with it.");
      });
    }
  }

  static final class Edit extends OnPrincipal {
    @Option(names = "--name", paramLabel = "<name>", description = "New display name.")
    String name;

    @Option(names = "--description", paramLabel = "<text>", description = "New description (up to 1024 characters).")
    String description;

    @Mixin
    Grants grants;

    @Option(names = "--clear-roles", description = "Remove every role.")
    boolean clearRoles;

    @Option(names = "--clear-permissions", description = "Remove every permission.")
    boolean clearPermissions;

    Edit(PrincipalType type) {
      super(type);
    }

    @Override
    Operation prepare(Session.Config config) {
      PrincipalRef ref = ref();
      PrincipalEdit edit = PrincipalEdit.none();
      if (name != null) {
        edit = edit.name(name);
      }
      if (description != null) {
        edit = edit.description(description);
      }
      if (replaces("--role", !grants.roles.isEmpty(), "roles", clearRoles)) {
        edit = edit.roles(grants.roleSet());
      }
      if (replaces("--permission", !grants.permissions.isEmpty(), "permissions", clearPermissions)) {
        edit = edit.permissions(grants.permissionSet());
      }
      if (edit.equals(PrincipalEdit.none())) {
        throw new UsageException("nothing to change: give --name, --description, --role, --permission,"
            + " --clear-roles or --clear-permissions");
      }
      PrincipalEdit change = edit;
      return s -> done("Updated " + what() + " " + ref + ".",
          Views.principal(s.manager().editPrincipal(s.actor(), ref, change)));
    }
  }
}
