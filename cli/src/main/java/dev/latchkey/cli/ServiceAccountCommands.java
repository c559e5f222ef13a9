package dev.latchkey.cli;

import dev.latchkey.NewServiceAccount;
import dev.latchkey.Principal;
import dev.latchkey.PrincipalRef;
import dev.latchkey.PrincipalType;
import dev.latchkey.Scope;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "service-accounts", aliases = "sa",
    description = "Service accounts: non-human principals at account, org or project scope.",
    subcommands = {
        ServiceAccountCommands.Create.class,
        ServiceAccountCommands.ListServiceAccounts.class,
        ServiceAccountCommands.Get.class,
        ServiceAccountCommands.Edit.class,
        ServiceAccountCommands.Disable.class,
        ServiceAccountCommands.Enable.class,
        ServiceAccountCommands.Delete.class})
final class ServiceAccountCommands extends Group {
  private static final PrincipalType TYPE = PrincipalType.SERVICE_ACCOUNT;

  @Command(name = "create", description = "Create a service account. Needs the account_admin role or the"
      + " latchkey.service_accounts.manage permission when run with --as.")
  static final class Create extends PrincipalCommands.OnPrincipal {
    @Option(names = "--scope", paramLabel = "<scope>", converter = Values.ScopeConverter.class,
        description = "account, account/org or account/org/project (default: the account).")
    Scope scope;

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
      Scope at = scope == null ? Scope.account(ref.accountId()) : scope;
      if (!at.accountId().equals(ref.accountId())) {
        throw new UsageException("--scope " + at + " is outside account " + ref.accountId()
            + "; a service account's scope starts with its account, e.g. " + ref.accountId() + "/platform");
      }
      NewServiceAccount sa = new NewServiceAccount(at, ref.id(), name == null ? ref.id() : name, description,
          grants.roleSet(), grants.permissionSet());
      return s -> {
        Principal p = s.manager().createServiceAccount(s.actor(), sa);
        out().say("Created service account " + p.ref() + " at scope " + p.scope() + ".");
        out().object(Views.principal(p));
        return ExitCodes.OK;
      };
    }
  }

  @Command(name = "list", description = "List the service accounts of an account.")
  static final class ListServiceAccounts extends PrincipalCommands.ListPrincipals {
    @Override
    PrincipalType type() {
      return TYPE;
    }
  }

  @Command(name = "get", description = "Show a service account.")
  static final class Get extends PrincipalCommands.Get {
    @Override
    PrincipalType type() {
      return TYPE;
    }
  }

  @Command(name = "edit", description = "Change a service account's name, description, roles or permissions."
      + " --role and --permission replace the whole set.")
  static final class Edit extends PrincipalCommands.Edit {
    @Override
    PrincipalType type() {
      return TYPE;
    }
  }

  @Command(name = "disable", description = "Disable a service account: all its tokens stop working at once.")
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

  @Command(name = "enable", description = "Enable a service account again: its tokens that are still valid work again.")
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

  @Command(name = "delete", description = "Delete a service account with its API keys and tokens.")
  static final class Delete extends PrincipalCommands.Delete {
    @Override
    PrincipalType type() {
      return TYPE;
    }
  }
}
