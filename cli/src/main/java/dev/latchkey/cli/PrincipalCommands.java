package dev.latchkey.cli;

import dev.latchkey.Page;
import dev.latchkey.PageRequest;
import dev.latchkey.Principal;
import dev.latchkey.PrincipalEdit;
import dev.latchkey.PrincipalRef;
import dev.latchkey.PrincipalType;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The commands users and service accounts share; {@link UserCommands} and {@link
 * ServiceAccountCommands} bind them to a principal type. A principal is named {@code account/id}
 * or, as listings print it, {@code account/user/id} / {@code account/sa/id}.
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

  /** A command on one principal of the bound type. */
  abstract static class OnPrincipal extends StoreCommand {
    @Parameters(index = "0", paramLabel = "<principal>",
        description = "account/id, or account/user/id and account/sa/id as listings print them.")
    String path;

    abstract PrincipalType type();

    PrincipalRef ref() {
      return Values.principalOfType(path, type());
    }

    String what() {
      return Values.describe(type());
    }
  }

  abstract static class Get extends OnPrincipal {
    @Override
    boolean readsOnly() {
      return true;
    }

    @Override
    Operation prepare(Session.Config config) {
      PrincipalRef ref = ref();
      return s -> {
        out().object(Views.principal(s.reads().principal(ref)));
        return ExitCodes.OK;
      };
    }
  }

  abstract static class SetEnabled extends OnPrincipal {
    abstract boolean enable();

    @Override
    Operation prepare(Session.Config config) {
      PrincipalRef ref = ref();
      return s -> {
        Principal p = s.manager().setEnabled(s.actor(), ref, enable());
        out().say(enable()
            ? "Enabled " + what() + " " + ref + "; its valid tokens work again."
            : "Disabled " + what() + " " + ref + "; its tokens stop working at once.");
        out().object(Views.principal(p));
        return ExitCodes.OK;
      };
    }
  }

  abstract static class Delete extends OnPrincipal {
    @Override
    Operation prepare(Session.Config config) {
      PrincipalRef ref = ref();
      return s -> {
        s.manager().deletePrincipal(s.actor(), ref);
        out().say("All API keys and tokens of " + ref + " were deleted with it.");
        Deleted.print(out(), what(), ref.toString());
        return ExitCodes.OK;
      };
    }
  }

  abstract static class Edit extends OnPrincipal {
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
      if (clearRoles && !grants.roles.isEmpty()) {
        throw new UsageException("give either --role (which replaces all roles) or --clear-roles, not both");
      }
      if (clearPermissions && !grants.permissions.isEmpty()) {
        throw new UsageException("give either --permission (which replaces all permissions) or --clear-permissions,"
            + " not both");
      }
      if (clearRoles || !grants.roles.isEmpty()) {
        edit = edit.roles(grants.roleSet());
      }
      if (clearPermissions || !grants.permissions.isEmpty()) {
        edit = edit.permissions(grants.permissionSet());
      }
      if (edit.equals(PrincipalEdit.none())) {
        throw new UsageException("nothing to change: give --name, --description, --role, --permission,"
            + " --clear-roles or --clear-permissions");
      }
      PrincipalEdit change = edit;
      return s -> {
        Principal p = s.manager().editPrincipal(s.actor(), ref, change);
        out().say("Updated " + what() + " " + ref + ".");
        out().object(Views.principal(p));
        return ExitCodes.OK;
      };
    }
  }

  abstract static class ListPrincipals extends StoreCommand {
    @Parameters(index = "0", paramLabel = "<account>", converter = Values.AccountIdConverter.class)
    String account;

    @Mixin
    PageOptions page;

    abstract PrincipalType type();

    @Override
    boolean readsOnly() {
      return true;
    }

    @Override
    Operation prepare(Session.Config config) {
      PageRequest request = page.request();
      return s -> {
        Page<Principal> p = s.reads().principals(account, type(), request);
        List<Map<String, Object>> items = p.items().stream().map(Views::principal).toList();
        out().list(items, COLUMNS, p.nextCursor());
        return ExitCodes.OK;
      };
    }
  }
}
