package dev.latchkey.cli;

import dev.latchkey.ApiKey;
import dev.latchkey.ApiKeyEdit;
import dev.latchkey.ApiKeyRef;
import dev.latchkey.NewApiKey;
import dev.latchkey.PageRequest;
import dev.latchkey.PrincipalRef;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "keys", aliases = "api-keys",
    description = "API keys: named containers of tokens, owned by a user (personal) or a service account.",
    subcommands = {
        KeyCommands.Create.class,
        KeyCommands.ListKeys.class,
        KeyCommands.Get.class,
        KeyCommands.Edit.class,
        KeyCommands.Delete.class})
final class KeyCommands extends Group {
  static final List<Output.Column> COLUMNS = List.of(
      new Output.Column("KEY", "path"),
      new Output.Column("SCOPE", "scope"),
      new Output.Column("DEFAULT LIFETIME", "defaultTokenLifetime"),
      new Output.Column("TAGS", "tags"),
      new Output.Column("NAME", "name"));

  /** Name, description and tags, shared by create and edit. */
  static final class Details {
    @Option(names = "--name", paramLabel = "<name>", description = "Display name.")
    String name;

    @Option(names = "--description", paramLabel = "<text>", description = "Description (up to 1024 characters).")
    String description;

    @Option(names = "--tag", paramLabel = "<key=value>", description = "A tag (repeatable).")
    Map<String, String> tags = Map.of();
  }

  abstract static class OnKey extends StoreCommand {
    @Parameters(index = "0", paramLabel = "<key>",
        description = "account/user/id/key or account/sa/id/key, e.g. acme/sa/ci_bot/ci_key.")
    ApiKeyRef ref;
  }

  @Command(name = "create", description = "Create an API key. Personal keys live at account scope,"
      + " a service account's keys at the service account's scope.")
  static final class Create extends OnKey {
    @Mixin
    Details details;

    @Option(names = "--default-token-lifetime", paramLabel = "<duration>",
        description = "Lifetime of tokens issued without --expires (default: the tool's, 90d).")
    Duration defaultLifetime;

    @Override
    Operation prepare(Session.Config config) {
      NewApiKey key = new NewApiKey(ref, details.name == null ? ref.id() : details.name, details.description,
          details.tags, null, defaultLifetime);
      Duration max = config.limits().maxTokenLifetime();
      if (defaultLifetime != null && max != null && defaultLifetime.compareTo(max) > 0) {
        throw new UsageException("--default-token-lifetime " + Output.words(defaultLifetime)
            + " exceeds the maximum token lifetime of " + Output.words(max)
            + "; choose a shorter one (or raise --max-token-lifetime)");
      }
      return s -> {
        ApiKey k = s.manager().createApiKey(s.actor(), key);
        return done("Created API key " + k.ref() + ". Issue tokens with: latchkey tokens issue " + k.ref() + "/<token>",
            Views.apiKey(k));
      };
    }
  }

  @Command(name = "list", description = "List a principal's API keys.")
  static final class ListKeys extends StoreCommand {
    @Parameters(index = "0", paramLabel = "<principal>", description = "account/user/id or account/sa/id.")
    PrincipalRef owner;

    @Mixin
    PageOptions page;

    @Override
    Operation prepare(Session.Config config) {
      PageRequest request = page.request();
      return listing(COLUMNS, s -> s.reads().apiKeys(owner, request).map(Views::apiKey));
    }
  }

  @Command(name = "get", description = "Show an API key.")
  static final class Get extends OnKey {
    @Override
    Operation prepare(Session.Config config) {
      return show(s -> Views.apiKey(s.reads().apiKey(ref)));
    }
  }

  @Command(name = "edit", description = "Change an API key's name, description or tags (never its identifier)."
      + " --tag replaces all tags.")
  static final class Edit extends OnKey {
    @Mixin
    Details details;

    @Option(names = "--clear-tags", description = "Remove every tag.")
    boolean clearTags;

    @Override
    Operation prepare(Session.Config config) {
      ApiKeyEdit edit = ApiKeyEdit.none();
      if (details.name != null) {
        edit = edit.name(details.name);
      }
      if (details.description != null) {
        edit = edit.description(details.description);
      }
      if (replaces("--tag", !details.tags.isEmpty(), "tags", clearTags)) {
        edit = edit.tags(details.tags);
      }
      if (edit.equals(ApiKeyEdit.none())) {
        throw new UsageException("nothing to change: give --name, --description, --tag or --clear-tags");
      }
      ApiKeyEdit change = edit;
      return s -> {
        ApiKey k = s.manager().editApiKey(s.actor(), ref, change);
        return done("Updated API key " + k.ref() + ".", Views.apiKey(k));
      };
    }
  }

  @Command(name = "delete", description = "Delete an API key and all its tokens (they stop working at once).")
  static final class Delete extends OnKey {
    @Override
    Operation prepare(Session.Config config) {
      return deletion("API key", ref, s -> s.manager().deleteApiKey(s.actor(), ref));
    }
  }
}
