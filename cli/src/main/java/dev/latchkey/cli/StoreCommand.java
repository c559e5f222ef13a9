package dev.latchkey.cli;

import dev.latchkey.Page;
import dev.latchkey.PageRequest;
import dev.latchkey.PepperKeyset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A command that works on the store. It runs in phases so that a bad command line never touches
 * the database: the global options are checked, {@link #prepare} checks every argument and builds
 * the request values (which validate themselves), the pepper keyset is loaded, and only then is the
 * database opened and the returned {@link Operation} run. The list, get and delete bodies every
 * entity shares are here: {@link #listing}, {@link #show}, {@link #deletion}.
 */
abstract class StoreCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  /** The work left once the arguments are known to be valid. */
  @FunctionalInterface
  interface Operation {
    int run(Session session);
  }

  /**
   * Work that only reads, through {@link Session#reads()} (list, get): acting as the system actor it
   * runs on a reading session, without the pepper keyset.
   */
  @FunctionalInterface
  interface Reading extends Operation {}

  /** Checks the arguments and returns the work to do; must not touch the database or write files. */
  abstract Operation prepare(Session.Config config);

  /** Whether verifications in this command update last-used times; {@code tokens verify} asks. */
  boolean recordsLastUsed() {
    return true;
  }

  @Override
  public final Integer call() {
    Session.Config config = root().sessionConfig();
    Operation operation = prepare(config);
    boolean readsOnly = operation instanceof Reading;
    if (readsOnly && config.actor().isSystem()) {
      try (Session session = Session.openForReading(config)) {
        return operation.run(session);
      }
    }
    PepperKeyset peppers = root().peppers(readsOnly
        ? "reading as a principal (--as) goes through the access policy, which needs the keyset; " : "");
    try (Session session = Session.open(config, peppers, recordsLastUsed())) {
      return operation.run(session);
    }
  }

  LatchkeyCommand root() {
    return (LatchkeyCommand) spec.root().userObject();
  }

  Output out() {
    return root().output();
  }

  /** Prints one page of views: a table of {@code columns}, or {@code {"items":[...],"nextCursor":...}}. */
  Reading listing(List<Output.Column> columns, Function<Session, Page<Map<String, Object>>> read) {
    return s -> {
      Page<Map<String, Object>> page = read.apply(s);
      out().list(page.items(), columns, page.nextCursor());
      return ExitCodes.OK;
    };
  }

  /** Prints the view of one entity. */
  Reading show(Function<Session, Map<String, Object>> read) {
    return s -> {
      out().object(read.apply(s));
      return ExitCodes.OK;
    };
  }

  /** Says what was done, then prints the view of the entity it was done to. */
  int done(String sentence, Map<String, Object> view) {
    out().say(sentence);
    out().object(view);
    return ExitCodes.OK;
  }

  /** Deletes, then prints {@code Deleted <type> <path>.}, or {@code {"deleted":"<path>","type":"<type>"}}. */
  Operation deletion(String type, Object path, Consumer<Session> delete) {
    return s -> {
      delete.accept(s);
      Output out = out();
      out.say("Deleted " + type + " " + path + ".");
      if (out.json()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("deleted", path.toString());
        m.put("type", type);
        out.object(m);
      }
      return ExitCodes.OK;
    };
  }

  /**
   * Whether an edit replaces a whole set: given with {@code option} (e.g. --tag), or emptied with
   * {@code --clear-<what>}; both at once is a usage error.
   */
  static boolean replaces(String option, boolean given, String what, boolean clear) {
    if (given && clear) {
      throw new UsageException("give either " + option + " (which replaces all " + what + ") or --clear-" + what
          + ", not both");
    }
    return given || clear;
  }

  /** {@code --limit} and {@code --after} of listings. */
  static final class PageOptions {
    @Option(names = "--limit", paramLabel = "<n>", defaultValue = "100",
        description = "Items per page, 1 to 1000 (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--after", paramLabel = "<cursor>",
        description = "Continue a listing after this cursor (printed when more items follow).")
    String after;

    PageRequest request() {
      return new PageRequest(after, limit);
    }
  }
}
