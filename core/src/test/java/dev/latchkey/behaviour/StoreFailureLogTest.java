package dev.latchkey.behaviour;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.IssuedToken;
import dev.latchkey.RejectReason;
import dev.latchkey.Rejected;
import dev.latchkey.StoreException;
import dev.latchkey.Verified;
import dev.latchkey.spi.Change;
import dev.latchkey.spi.ChangeFeed;
import dev.latchkey.spi.LastUsedSink;
import dev.latchkey.spi.TokenRecord;
import dev.latchkey.testing.ForwardingTokenStore;
import dev.latchkey.testing.SimpleTokenStore;
import dev.latchkey.testing.World;
import dev.latchkey.testsupport.LogCapture;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Where the verifier, the change-feed poller and the last-used recorder log a store failure, the
 * log line carries the {@link StoreException}'s message (stores keep it free of secrets: it names
 * the operation and the database's reason) and the SQLState of its cause, not only the class name:
 * an operator has to be able to tell a refused connection from a missing table.
 */
class StoreFailureLogTest {

  /** A store whose token lookups, last-used writes or change-feed reads fail on demand. */
  static final class FailingStore extends ForwardingTokenStore {
    volatile boolean failLookups;
    volatile boolean failLastUsed;
    volatile boolean failFeed;

    FailingStore() {
      super(new SimpleTokenStore());
    }

    static StoreException failure(String operation, String state) {
      return new StoreException(operation + " failed: connection refused by the test",
          new SQLException("Connection refused (the driver's words)", state));
    }

    @Override
    public Optional<TokenRecord> findTokenByLookupId(String id) {
      if (failLookups) {
        throw failure("findTokenByLookupId", "08001");
      }
      return super.findTokenByLookupId(id);
    }

    @Override
    public Optional<LastUsedSink> lastUsedSink() {
      LastUsedSink real = delegate.lastUsedSink().orElseThrow();
      return Optional.of(m -> {
        if (failLastUsed) {
          throw failure("recordLastUsed", "57P01");
        }
        real.recordLastUsed(m);
      });
    }

    @Override
    public Optional<ChangeFeed> changeFeed() {
      ChangeFeed real = delegate.changeFeed().orElseThrow();
      return Optional.of(new ChangeFeed() {
        @Override
        public long latestSequence() {
          return real.latestSequence();
        }

        @Override
        public List<Change> changesSince(long after, int limit) {
          if (failFeed) {
            throw failure("changesSince", "08006");
          }
          return real.changesSince(after, limit);
        }

        @Override
        public int pruneBefore(Instant cutoff) {
          return real.pruneBefore(cutoff);
        }
      });
    }
  }

  @Test
  void storeFailuresAreLoggedWithMessageAndSqlState() {
    FailingStore store = new FailingStore();
    try (World w = new World(store, b -> b); LogCapture logs = new LogCapture()) {
      IssuedToken t = w.token(w.ci.ref(), "k", "t");

      store.failLookups = true;
      w.latchkey.invalidateCache();
      assertThat(w.verifier.verify(t.value())).isEqualTo(Rejected.of(RejectReason.STORE_ERROR));
      store.failLookups = false;

      assertThat(w.verifier.verify(t.value())).isInstanceOf(Verified.class);
      store.failLastUsed = true;
      w.latchkey.flushLastUsed();
      store.failLastUsed = false;

      store.failFeed = true;
      w.latchkey.pollChanges(); // the first poll only reads the latest sequence
      w.latchkey.pollChanges();
      store.failFeed = false;

      String all = logs.all();
      assertThat(lineWith(logs, "verification")).contains("findTokenByLookupId failed: connection refused by the test")
          .contains("08001");
      assertThat(lineWith(logs, "last-used")).contains("recordLastUsed failed: connection refused by the test")
          .contains("57P01");
      assertThat(lineWith(logs, "change feed poll failed")).contains("changesSince failed: connection refused by the test")
          .contains("08006");
      assertThat(all).as("the driver's own message is the store's to sanitise, not logged raw")
          .doesNotContain("the driver's words");
    }
  }

  private static String lineWith(LogCapture logs, String text) {
    return logs.lines().stream().filter(l -> l.contains(text) && l.contains(" WARN ")).findFirst()
        .orElseThrow(() -> new AssertionError("no WARN line containing '" + text + "' in\n" + String.join("\n", logs.lines())));
  }
}
