package dev.latchkey.cli;

import dev.latchkey.NewUser;
import dev.latchkey.Principal;
import dev.latchkey.PrincipalRef;
import dev.latchkey.PrincipalType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "users", description = "Users: people's personal accounts inside an account.",
    subcommands = {
        UserCommands.Create.class,
        UserCommands.ListUsers.class,
        UserCommands.Get.class,
        UserCommands.Edit.class,
        UserCommands.Disable.class,
        UserCommands.Enable.class,
        UserCommands.Delete.class})
final class UserCommands extends Group {
  private static final PrincipalType TYPE = PrincipalType.USER;

  @Command(name = "create", description = "Create a user (at account scope).")
  static final class Create extends PrincipalCommands.OnPrincipal {
    @Option(names = "--name", paramLabel = "<name>", description = "Display name (default: the identifier).")
    String name;

    @Option(names = "--description", paramLabel = "<text>", description = "Description (up to 1024 characters).")
    String description;

    @Mixin
    PrincipalCommands.Grants grants;

    @Override
    PrincipalType type() {
      return TYPE;
    }

    @Override
    Operation prepare(Session.Config config) {
      PrincipalRef ref = ref();
      NewUser user = new NewUser(ref, name == null ? ref.id() : name, description, grants.roleSet(),
          grants.permissionSet());
      return s -> {
        Principal p = s.manager().createUser(s.actor(), user);
        out().say("Created user " + p.ref() + ".");
        out().object(Views.principal(p));
        return ExitCodes.OK;
      };
    }
  }

  @Command(name = "list", description = "List the users of an account.")
  static final class ListUsers extends PrincipalCommands.ListPrincipals {
    @Override
    PrincipalType type() {
      return TYPE;
    }
  }

  @Command(name = "get", description = "Show a user.")
  static final class Get extends PrincipalCommands.Get {
    @Override
    PrincipalType type() {
      return TYPE;
    }
  }

  @Command(name = "edit", description = "Change a user's name, description, roles or permissions."
      + " --role and --permission replace the whole set.")
  static final class Edit extends PrincipalCommands.Edit {
    @Override
    PrincipalType type() {
      return TYPE;
    }
  }

  @Command(name = "disable", description = "Disable a user: all its tokens stop working at once.")
  static final class Disable extends PrincipalCommands.SetEnabled {
    @Override
    PrincipalType type() {
      return TYPE;
    }

    @Override
    boolean enable() {
      return false;
    }
  }

  @Command(name = "enable", description = "Enable a user again: its tokens that are still valid work again.")
  static final class Enable extends PrincipalCommands.SetEnabled {
    @Override
    PrincipalType type() {
      return TYPE;
    }

    @Override
    boolean enable() {
      return true;
    }
  }

  @Command(name = "delete", description = "Delete a user with its API keys and tokens.")
  static final class Delete extends PrincipalCommands.Delete {
    @Override
    PrincipalType type() {
      return TYPE;
    }
  }
}
