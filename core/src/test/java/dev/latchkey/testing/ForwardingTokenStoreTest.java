package dev.latchkey.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.Account;
import dev.latchkey.ApiKey;
import dev.latchkey.ApiKeyRef;
import dev.latchkey.IssuedToken;
import dev.latchkey.Page;
import dev.latchkey.PageRequest;
import dev.latchkey.Principal;
import dev.latchkey.PrincipalRef;
import dev.latchkey.PrincipalType;
import dev.latchkey.TokenRef;
import dev.latchkey.spi.ChangeFeed;
import dev.latchkey.spi.ExpiringTokenQuery;
import dev.latchkey.spi.HashUsageQuery;
import dev.latchkey.spi.LastUsedSink;
import dev.latchkey.spi.TokenRecord;
import dev.latchkey.spi.TokenStore;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The forwarding base must hand every call to its delegate unchanged and offer exactly the
 * delegate's optional capabilities: a capability method left to {@link TokenStore}'s default would
 * hide the delegate's (say, its change feed, and with it cross-node invalidation), and a wrapper
 * that implemented a capability interface itself could be mistaken for offering it.
 */
class ForwardingTokenStoreTest {
  private static final List<Function<TokenStore, Optional<?>>> CAPABILITIES = List.of(
      TokenStore::changeFeed, TokenStore::expiringTokenQuery, TokenStore::hashUsageQuery, TokenStore::lastUsedSink);

  private final World w = new World();

  @AfterEach
  void close() {
    w.close();
  }

  private static List<Method> storeMethods() {
    return Arrays.stream(TokenStore.class.getMethods()).filter(m -> !Modifier.isStatic(m.getModifiers())).toList();
  }

  @Test
  void overridesEveryMethodOfTheStoreInterfaceTheCapabilitiesIncluded() throws Exception {
    List<String> inherited = new ArrayList<>();
    for (Method m : storeMethods()) {
      Method impl = ForwardingTokenStore.class.getMethod(m.getName(), m.getParameterTypes());
      if (impl.getDeclaringClass() != ForwardingTokenStore.class) {
        inherited.add(m.getName());
      }
    }
    assertThat(inherited).as("TokenStore methods ForwardingTokenStore leaves to the interface (a default answers"
        + " 'not offered' and would hide the delegate's capability)").isEmpty();
    assertThat(storeMethods()).extracting(Method::getName)
        .contains("changeFeed", "expiringTokenQuery", "hashUsageQuery", "lastUsedSink", "findTokenByLookupId");
  }

  @Test
  void forwardsEveryCallWithItsArgumentsAndReturnsTheDelegatesAnswer() throws Exception {
    List<Object[]> received = new ArrayList<>();
    List<Object> answers = new ArrayList<>();
    InvocationHandler recorder = (proxy, method, args) -> {
      Object answer = answerFor(method.getReturnType());
      received.add(new Object[] {method, args == null ? new Object[0] : args});
      answers.add(answer);
      return answer;
    };
    TokenStore delegate = (TokenStore) Proxy.newProxyInstance(TokenStore.class.getClassLoader(),
        new Class<?>[] {TokenStore.class}, recorder);
    TokenStore forwarding = new ForwardingTokenStore(delegate) { };
    Map<Class<?>, Object> samples = samples();

    for (Method m : storeMethods()) {
      Object[] args = Arrays.stream(m.getParameterTypes()).map(type -> {
        assertThat(samples).as("a sample %s", type.getSimpleName()).containsKey(type);
        return samples.get(type);
      }).toArray();
      received.clear();
      answers.clear();
      Object result = m.invoke(forwarding, args);
      assertThat(received).as("calls %s made on the delegate", m.getName()).hasSize(1);
      assertThat(((Method) received.get(0)[0]).getName()).as(m.getName()).isEqualTo(m.getName());
      assertThat((Object[]) received.get(0)[1]).as("arguments of %s", m.getName()).containsExactly(args);
      if (m.getReturnType() == void.class) {
        continue;
      }
      if (m.getReturnType().isPrimitive()) {
        assertThat(result).as("answer of %s", m.getName()).isEqualTo(answers.get(0));
      } else {
        assertThat(result).as("answer of %s", m.getName()).isSameAs(answers.get(0));
      }
    }
  }

  /** A fresh answer of the method's type, distinguishable from every other answer. */
  private static Object answerFor(Class<?> type) {
    if (type == void.class) {
      return null;
    }
    if (type == boolean.class) {
      return true; // the interface has no default of true: a forwarder that answers itself answers false
    }
    if (type == Optional.class) {
      return Optional.of(new Object());
    }
    if (type == Page.class) {
      return Page.of(List.of(), "cursor");
    }
    if (type == String.class) {
      return new String("answer");
    }
    throw new AssertionError("no answer for " + type);
  }

  /** A real value of each argument type of the SPI, distinct from the others. */
  private Map<Class<?>, Object> samples() {
    IssuedToken issued = w.token(w.ci.ref(), "k", "t");
    TokenRecord record = w.memory.findToken(issued.ref()).orElseThrow();
    ApiKey key = w.memory.findApiKey(issued.ref().apiKey()).orElseThrow();
    return Map.ofEntries(
        Map.entry(Account.class, w.memory.findAccount("acme").orElseThrow()),
        Map.entry(Principal.class, w.ci),
        Map.entry(PrincipalRef.class, w.alice.ref()),
        Map.entry(PrincipalType.class, PrincipalType.SERVICE_ACCOUNT),
        Map.entry(ApiKey.class, key),
        Map.entry(ApiKeyRef.class, key.ref()),
        Map.entry(TokenRecord.class, record),
        Map.entry(TokenRef.class, issued.ref()),
        Map.entry(String.class, "abc"),
        Map.entry(PageRequest.class, PageRequest.after("cursor", 7)),
        Map.entry(Instant.class, World.START.plusSeconds(42)),
        Map.entry(int.class, 11),
        Map.entry(long.class, 13L));
  }

  @Test
  void offersExactlyTheCapabilitiesOfTheStoreItWraps() {
    TokenStore all = new SimpleTokenStore();
    TokenStore none = ForwardingTokenStore.coreOnly(all);
    for (Function<TokenStore, Optional<?>> capability : CAPABILITIES) {
      assertThat(capability.apply(all)).isPresent();
      assertThat(capability.apply(new ForwardingTokenStore(all) { })).as("forwarded").isPresent();
      assertThat(capability.apply(none)).as("hidden by coreOnly").isEmpty();
      assertThat(capability.apply(new ForwardingTokenStore(none) { })).as("not exposed when the delegate lacks it")
          .isEmpty();
      assertThat(capability.apply(new CountingStore(all))).as("decorated by the counter").isPresent();
      assertThat(capability.apply(new CountingStore(none))).as("the counter keeps an absent capability absent")
          .isEmpty();
    }
    ChangeFeed feed = all.changeFeed().orElseThrow();
    assertThat(new ForwardingTokenStore(all) { }.changeFeed()).containsSame(feed);
  }

  @Test
  void implementsNoCapabilityInterfaceItself() {
    // the JDBC store is its own ChangeFeed; a wrapper must not pass for one by type
    for (Class<?> capability : List.of(ChangeFeed.class, ExpiringTokenQuery.class, HashUsageQuery.class,
        LastUsedSink.class)) {
      assertThat(capability.isAssignableFrom(ForwardingTokenStore.class)).as(capability.getSimpleName()).isFalse();
      assertThat(capability.isAssignableFrom(CountingStore.class)).as(capability.getSimpleName()).isFalse();
    }
  }

  @Test
  void coreOnlyStillForwardsTheRequiredCore() {
    TokenStore none = ForwardingTokenStore.coreOnly(w.memory);
    IssuedToken t = w.token(w.ci.ref(), "k", "t");
    assertThat(none.findTokenByLookupId(t.token().lookupId())).isPresent();
    assertThat(none.findPrincipal(w.ci.ref())).contains(w.ci);
  }

  @Test
  void theCounterCountsCapabilityCallsButNotChangeFeedReads() {
    CountingStore counting = new CountingStore(new SimpleTokenStore());
    counting.lastUsedSink().orElseThrow().recordLastUsed(Map.of());
    counting.hashUsageQuery().orElseThrow().hashUsage();
    assertThat(counting.calls.get()).isEqualTo(2);
    assertThat(counting.lastUsedBatches.get()).isEqualTo(1);
    counting.changeFeed().orElseThrow().latestSequence();
    assertThat(counting.calls.get()).as("the poller's reads are not store calls of a verification").isEqualTo(2);
  }
}
