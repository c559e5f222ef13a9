package dev.latchkey.internal;

import dev.latchkey.AccessPolicy;
import dev.latchkey.Actor;
import dev.latchkey.AuditListener;
import dev.latchkey.Limits;
import dev.latchkey.NewApiKey;
import dev.latchkey.NewServiceAccount;
import dev.latchkey.PepperKeyset;
import dev.latchkey.PrincipalRef;
import dev.latchkey.Scope;
import dev.latchkey.TestPepperAccess;
import dev.latchkey.TokenFormat;
import dev.latchkey.TokenManager;
import dev.latchkey.VerificationListener;
import dev.latchkey.testing.SimpleTokenStore;
import dev.latchkey.testsupport.MutableClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One Latchkey instance wired as {@code Latchkey.build()} wires it (through {@link Assembly}), over a
 * {@code SimpleTokenStore} and a clock the test moves, with the HMAC probe counting every HMAC
 * computed. Tests in this package reach the engine's parts, which the public API does not show. It
 * holds account {@code acme}, service account {@code acme/sa/bot} and its key {@code k}.
 */
final class Node implements AutoCloseable {
  static final PepperKeyset PEPPERS = PepperKeyset.generate(new SecureRandom());
  static final String PREFIX = "acme";

  final MutableClock clock = new MutableClock(Instant.parse("2030-06-01T12:00:00Z"));
  final SimpleTokenStore store = new SimpleTokenStore();
  final AtomicLong hmacs = new AtomicLong();
  final Assembly assembly;
  final TokenManager m;
  final VerificationEngine engine;
  final TokenCodec codec = new TokenCodec(TokenFormat.withPrefix(PREFIX));
  final Actor system = Actor.system();
  final PrincipalRef bot;

  Node(boolean acceptLegacy) {
    VerifierSettings settings = new VerifierSettings(100_000, Duration.ofSeconds(5), Duration.ofMinutes(10),
        Duration.ofHours(1), Duration.ofSeconds(5), 500, 2, acceptLegacy, 10_000, 12);
    assembly = new Assembly(new Assembly.Config(store, PEPPERS, TestPepperAccess.get(), TokenFormat.withPrefix(PREFIX),
        clock, new SecureRandom(), AccessPolicy.standard(), Limits.defaults(), AuditListener.none(),
        VerificationListener.NONE, settings, Duration.ofHours(24), false, null), hmacs::incrementAndGet);
    m = assembly.manager();
    engine = assembly.engine();
    m.createAccount(system, "acme", "Acme");
    bot = m.createServiceAccount(system, NewServiceAccount.of(Scope.account("acme"), "bot", "Bot")
        .withPermissions(Set.of("deploy"))).ref();
    m.createApiKey(system, NewApiKey.of(bot, "k", "K"));
  }

  @Override
  public void close() {
    assembly.close();
  }
}
