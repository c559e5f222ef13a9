package dev.latchkey.bench;

import dev.latchkey.Actor;
import dev.latchkey.ApiKeyRef;
import dev.latchkey.AuditListener;
import dev.latchkey.IssuedToken;
import dev.latchkey.Latchkey;
import dev.latchkey.NewApiKey;
import dev.latchkey.NewServiceAccount;
import dev.latchkey.NewToken;
import dev.latchkey.PepperKeyset;
import dev.latchkey.PrincipalRef;
import dev.latchkey.RejectReason;
import dev.latchkey.Rejected;
import dev.latchkey.Scope;
import dev.latchkey.TokenManager;
import dev.latchkey.TokenVerifier;
import dev.latchkey.VerificationResult;
import dev.latchkey.VerificationStats;
import dev.latchkey.Verified;
import java.security.SecureRandom;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.openjdk.jmh.infra.BenchmarkParams;

/**
 * One Latchkey instance over a fresh {@link Backend}, configured as an application would (a random
 * pepper, prefix {@code acme}, production defaults for the cache and the staleness bound), except
 * that audit events are discarded so that no logging is measured. The store is wrapped in a {@link
 * CountingTokenStore}.
 *
 * <p>It holds one account, {@code acme}, and one service account, {@code acme/sa/bench_bot}, with
 * two permissions; more principals, keys and tokens are added with the helper methods.
 */
final class Fixture implements AutoCloseable {
  static final String PREFIX = "acme";
  static final String ACCOUNT = "acme";
  static final Actor SYSTEM = Actor.system();

  final Backend backend;
  final CountingTokenStore store;
  final Latchkey latchkey;
  final TokenManager manager;
  final TokenVerifier verifier;
  final PrincipalRef bot;

  private VerificationStats runStartStats;
  private long runStartCalls;
  private long runStartReads;

  private Fixture(Backend backend, UnaryOperator<Latchkey.Builder> customize) {
    this.backend = backend;
    this.store = new CountingTokenStore(backend.store());
    Latchkey.Builder builder = Latchkey.builder()
        .store(store)
        .peppers(PepperKeyset.generate(new SecureRandom()))
        .tokenPrefix(PREFIX)
        .auditListener(AuditListener.none());
    this.latchkey = customize.apply(builder).build();
    this.manager = latchkey.manager();
    this.verifier = latchkey.verifier();
    manager.createAccount(SYSTEM, ACCOUNT, "Acme Inc.");
    this.bot = serviceAccount("bench_bot");
    markRunStart();
  }

  static Fixture open(String storeKind) {
    return open(storeKind, UnaryOperator.identity());
  }

  /** A fixture whose {@link Latchkey.Builder} is adjusted by {@code customize} before it is built. */
  static Fixture open(String storeKind, UnaryOperator<Latchkey.Builder> customize) {
    Backend backend = Backend.open(storeKind);
    try {
      return new Fixture(backend, customize);
    } catch (RuntimeException e) {
      backend.close();
      throw e;
    }
  }

  PrincipalRef serviceAccount(String id) {
    return manager.createServiceAccount(SYSTEM,
        NewServiceAccount.of(Scope.account(ACCOUNT), id, "Benchmark " + id)
            .withPermissions(Set.of("deploy", "read")))
        .ref();
  }

  ApiKeyRef apiKey(PrincipalRef owner, String id) {
    return manager.createApiKey(SYSTEM, NewApiKey.of(owner, id, "Key " + id)).ref();
  }

  IssuedToken issue(ApiKeyRef key, String id) {
    return manager.issueToken(SYSTEM, NewToken.of(key, id, "Token " + id));
  }

  /** Issues a token under a new key of {@link #bot} and verifies it once, so that it is cached. */
  String cachedToken(String keyId) {
    String token = issue(apiKey(bot, keyId), "t").value().reveal();
    requireVerified(verifier.verify(token));
    return token;
  }

  /** Remembers the counters now, at the end of setup; {@link #recordRun} reports what happened since. */
  void markRunStart() {
    runStartStats = latchkey.stats();
    runStartCalls = store.calls();
    runStartReads = store.tokenLookups() + store.principalLookups();
  }

  /**
   * Reports, under {@code label}, what happened between {@link #markRunStart} and now (warmup and
   * measurement, as JMH runs both in one trial): verifications, cache misses, store lookups of
   * tokens by lookup id and of principals (what a verification's cache miss costs; management calls
   * read principals too), and all store calls (including background last-used writes; change-feed
   * polls are not counted).
   */
  void recordRun(String label) {
    VerificationStats s = latchkey.stats();
    Facts.record(label + ".verifications", s.total() - runStartStats.total());
    Facts.record(label + ".cacheMisses", s.cacheMisses() - runStartStats.cacheMisses());
    Facts.record(label + ".storeErrors", s.storeErrors() - runStartStats.storeErrors());
    Facts.record(label + ".storeLookups", store.tokenLookups() + store.principalLookups() - runStartReads);
    Facts.record(label + ".storeCalls", store.calls() - runStartCalls);
  }

  /** A short label for a benchmark run: {@code Class.method} plus its parameters. */
  static String label(BenchmarkParams params) {
    String name = params.getBenchmark();
    int dot = name.lastIndexOf('.', name.lastIndexOf('.') - 1);
    StringBuilder sb = new StringBuilder(name.substring(dot + 1));
    for (String key : params.getParamsKeys()) {
      sb.append(':').append(key).append('=').append(params.getParam(key));
    }
    return sb.toString();
  }

  @Override
  public void close() {
    try {
      latchkey.close();
    } finally {
      backend.close();
    }
  }

  static Verified requireVerified(VerificationResult result) {
    if (result instanceof Verified v) {
      return v;
    }
    throw new IllegalStateException("expected a verified token, got " + result);
  }

  static void requireRejected(VerificationResult result, RejectReason reason) {
    if (!(result instanceof Rejected r) || r.reason() != reason) {
      throw new IllegalStateException("expected a token rejected as " + reason + ", got " + result);
    }
  }

  /** The token with its last character (a checksum digit) replaced by another base62 digit. */
  static String withBadChecksum(String token) {
    char last = token.charAt(token.length() - 1);
    return token.substring(0, token.length() - 1) + (last == '0' ? '1' : '0');
  }
}
