package dev.latchkey.cli;

import dev.latchkey.PageRequest;
import dev.latchkey.PepperKeyset;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * A command that works on the store. It runs in phases so that a bad command line never touches
 * the database: the global options are checked, {@link #prepare} checks every argument and builds
 * the request values (which validate themselves), the pepper keyset is loaded, and only then is the
 * database opened and the returned {@link Operation} run.
 */
abstract class StoreCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  /** The work left once the arguments are known to be valid. */
  @FunctionalInterface
  interface Operation {
    int run(Session session);
  }

  /** Checks the arguments and returns the work to do; must not touch the database or write files. */
  abstract Operation prepare(Session.Config config);

  /**
   * True for commands that only read (list, get): acting as the system actor they run on a reading
   * session, without the pepper keyset. Their operations use {@link Session#reads()} only.
   */
  boolean readsOnly() {
    return false;
  }

  /** Whether verifications in this command update last-used times; {@code tokens verify} asks. */
  boolean recordsLastUsed() {
    return true;
  }

  @Override
  public final Integer call() {
    Session.Config config = root().sessionConfig();
    Operation operation = prepare(config);
    if (readsOnly() && config.actor().isSystem()) {
      try (Session session = Session.openForReading(config)) {
        return operation.run(session);
      }
    }
    PepperKeyset peppers = root().peppers(readsOnly()
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

  /** {@code --limit} and {@code --after} of listings. */
  static final class PageOptions {
    @Option(names = "--limit", paramLabel = "<n>", defaultValue = "100",
        description = "Items per page, 1 to 1000 (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--after", paramLabel = "<cursor>",
        description = "Continue a listing after this cursor (printed when more items follow).")
    String after;

    PageRequest request() {
      return new PageRequest(Optional.ofNullable(after), limit);
    }
  }
}
