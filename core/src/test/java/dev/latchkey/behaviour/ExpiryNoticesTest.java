package dev.latchkey.behaviour;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.ConfigurationException;
import dev.latchkey.Expiration;
import dev.latchkey.ExpiryListener;
import dev.latchkey.IssuedToken;
import dev.latchkey.Latchkey;
import dev.latchkey.NewApiKey;
import dev.latchkey.NewToken;
import dev.latchkey.TokenEdit;
import dev.latchkey.TokenExpiring;
import dev.latchkey.TokenRef;
import dev.latchkey.UnsupportedByStoreException;
import dev.latchkey.testing.ForwardingTokenStore;
import dev.latchkey.testing.SimpleTokenStore;
import dev.latchkey.testing.World;
import dev.latchkey.testsupport.LogCapture;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Expiry notices through the public API on the simple store core tests use (the memory, H2 and PostgreSQL stores run the contract kit), with the clock under the test's control. */
class ExpiryNoticesTest {
  private static final Duration DAY = Duration.ofDays(1);

  private final List<TokenExpiring> sent = new CopyOnWriteArrayList<>();

  private IssuedToken issue(World w, String id, Duration lifetime) {
    if (w.memory.findApiKey(w.ci.ref().apiKey("k")).isEmpty()) {
      w.m.createApiKey(w.system, NewApiKey.of(w.ci.ref(), "k", "K"));
    }
    return w.m.issueToken(w.system, NewToken.of(w.ci.ref().apiKey("k"), id, id).expiring(Expiration.after(lifetime)));
  }

  private List<String> sentFor(TokenRef ref) {
    return sent.stream().filter(n -> n.token().equals(ref)).map(n -> n.threshold().toDays() + "d").toList();
  }

  @Test
  void eachTokenIsNotifiedOncePerThresholdItReachesWithIdsAndTimesOnly() {
    try (World w = new World(new SimpleTokenStore(), b -> b.expiryNotices(sent::add))) {
      IssuedToken in40 = issue(w, "in40", Duration.ofDays(40));
      IssuedToken in20 = issue(w, "in20", Duration.ofDays(20));
      IssuedToken in5 = issue(w, "in5", Duration.ofDays(5));
      IssuedToken far = issue(w, "far", Duration.ofDays(200));
      IssuedToken revoked = issue(w, "revoked", Duration.ofDays(3));
      w.m.revokeToken(w.system, revoked.ref());

      assertThat(w.latchkey.sendExpiryNotices()).isEqualTo(2);
      assertThat(sentFor(in20.ref())).containsExactly("30d");
      assertThat(sentFor(in5.ref())).as("only the smallest threshold reached").containsExactly("7d");
      TokenExpiring n = sent.stream().filter(x -> x.token().equals(in5.ref())).findFirst().orElseThrow();
      assertThat(n.expiresAt()).isEqualTo(in5.token().expiresAt());
      assertThat(n.lookupId()).isEqualTo(in5.token().lookupId());
      assertThat(n.principal()).isEqualTo(w.ci.ref());
      assertThat(n.toString()).doesNotContain(in5.value().reveal().substring(30));

      assertThat(w.latchkey.sendExpiryNotices()).as("a second run sends nothing new").isZero();

      w.clock.advance(Duration.ofDays(11)); // in40: 29 days left; in20: 9; in5: gone
      assertThat(w.latchkey.sendExpiryNotices()).isEqualTo(1);
      assertThat(sentFor(in40.ref())).containsExactly("30d");
      w.clock.advance(Duration.ofDays(3)); // in20: 6 days left
      assertThat(w.latchkey.sendExpiryNotices()).isEqualTo(1);
      assertThat(sentFor(in20.ref())).containsExactly("30d", "7d");
      assertThat(w.m.expiryNoticesSent(w.system, in20.ref())).containsExactly(Duration.ofDays(30), Duration.ofDays(7));
      assertThat(w.m.expiryNoticesSent(w.system, far.ref())).isEmpty();
      assertThat(sentFor(far.ref())).isEmpty();
      assertThat(sentFor(revoked.ref())).isEmpty();

      // a new expiry is a new series of notices
      w.m.editToken(w.system, in20.ref(), TokenEdit.none().expiration(Expiration.after(Duration.ofDays(5))));
      assertThat(w.m.expiryNoticesSent(w.system, in20.ref())).isEmpty();
      assertThat(w.latchkey.sendExpiryNotices()).isEqualTo(1);
      assertThat(sentFor(in20.ref())).containsExactly("30d", "7d", "7d");
    }
  }

  @Test
  void aTokenExpiringAtTheInstantTheJobRunsGetsNoNotice() {
    try (World w = new World(new SimpleTokenStore(), b -> b.expiryNotices(sent::add))) {
      IssuedToken edge = issue(w, "edge", Duration.ofDays(2));
      w.clock.advance(Duration.ofDays(2));
      assertThat(w.latchkey.sendExpiryNotices()).isZero();
      assertThat(sentFor(edge.ref())).isEmpty();
    }
  }

  @Test
  void twoInstancesOnOneStoreSendEachNoticeOnce() {
    SimpleTokenStore store = new SimpleTokenStore();
    List<TokenExpiring> second = new CopyOnWriteArrayList<>();
    try (World w = new World(store, b -> b.expiryNotices(sent::add).expiryNoticeThresholds(DAY, Duration.ofDays(7)));
        Latchkey other = Latchkey.builder().store(store).peppers(World.PEPPERS).tokenPrefix("acme").clock(w.clock)
            .expiryNotices(second::add).expiryNoticeThresholds(DAY, Duration.ofDays(7)).build()) {
      for (int i = 0; i < 20; i++) {
        issue(w, "t" + i, Duration.ofHours(1 + 12L * i));
      }
      int a = w.latchkey.sendExpiryNotices();
      int b = other.sendExpiryNotices();
      assertThat(a + b).isEqualTo(14); // lifetimes up to 7 days: i = 0..13
      assertThat(a).isEqualTo(14);
      w.clock.advance(Duration.ofDays(3));
      b = other.sendExpiryNotices();
      a = w.latchkey.sendExpiryNotices();
      assertThat(sent.size() + second.size()).isEqualTo(14 + a + b);
      assertThat(b).as("the other node sent the new ones").isPositive();
      assertThat(a).isZero();
      assertThat(java.util.stream.Stream.concat(sent.stream(), second.stream())
          .map(n -> n.token() + "@" + n.threshold()).distinct().count()).isEqualTo(sent.size() + second.size());
    }
  }

  @Test
  void aFailingListenerIsLoggedAndTheNoticeNotRepeated() {
    ExpiryListener failing = n -> {
      sent.add(n);
      throw new IllegalStateException("mail server down");
    };
    try (LogCapture logs = new LogCapture(); World w = new World(new SimpleTokenStore(), b -> b.expiryNotices(failing))) {
      issue(w, "soon", Duration.ofHours(5));
      assertThat(w.latchkey.sendExpiryNotices()).isEqualTo(1);
      assertThat(w.latchkey.sendExpiryNotices()).isZero();
      assertThat(sent).hasSize(1);
      assertThat(logs.lines()).anySatisfy(l -> assertThat(l).contains("expiry listener failed", "IllegalStateException"));
    }
  }

  @Test
  void theDefaultListenerLogsAtInfoWithoutTheValue() {
    try (LogCapture logs = new LogCapture();
        World w = new World(new SimpleTokenStore(), b -> b.expiryNotices(ExpiryListener.slf4j()))) {
      IssuedToken t = issue(w, "soon", Duration.ofHours(5));
      w.latchkey.sendExpiryNotices();
      assertThat(logs.lines()).anySatisfy(l -> assertThat(l).startsWith("dev.latchkey.expiry INFO")
          .contains("token=acme/sa/ci/k/soon", "lookupId=" + t.token().lookupId(), "threshold=PT24H"));
      assertThat(logs.all()).doesNotContain(t.value().reveal().substring(30));
    }
  }

  @Test
  void configurationIsCheckedWhenBuilt() {
    assertThatThrownBy(() -> Latchkey.builder().expiryNoticeThresholds()).isInstanceOf(ConfigurationException.class);
    assertThatThrownBy(() -> Latchkey.builder().expiryNoticeThresholds(DAY, DAY))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("twice");
    assertThatThrownBy(() -> Latchkey.builder().expiryNoticeThresholds(Duration.ZERO))
        .isInstanceOf(ConfigurationException.class);
    assertThatThrownBy(() -> Latchkey.builder().expiryNoticeThresholds(Duration.ofDays(400)))
        .isInstanceOf(ConfigurationException.class);
    assertThatThrownBy(() -> Latchkey.builder().expiryNoticeInterval(Duration.ofMillis(10)))
        .isInstanceOf(ConfigurationException.class);
    assertThatThrownBy(() -> new World(ForwardingTokenStore.coreOnly(new SimpleTokenStore()),
        b -> b.expiryNotices(sent::add))).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("expiringTokenQuery() and expiryNoticeLog()");
    try (World w = new World(new SimpleTokenStore(), b -> b)) {
      assertThatThrownBy(w.latchkey::sendExpiryNotices).isInstanceOf(ConfigurationException.class)
          .hasMessageContaining("not enabled");
    }
    try (World w = new World(ForwardingTokenStore.coreOnly(new SimpleTokenStore()), b -> b)) {
      IssuedToken t = w.token(w.ci.ref(), "k", "t");
      assertThatThrownBy(() -> w.m.expiryNoticesSent(w.system, t.ref())).isInstanceOf(UnsupportedByStoreException.class);
    }
  }
}
