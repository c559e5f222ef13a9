package dev.latchkey.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.ConfigurationException;
import dev.latchkey.IpAddress;
import dev.latchkey.NewApiKey;
import dev.latchkey.NewServiceAccount;
import dev.latchkey.NewToken;
import dev.latchkey.PrincipalRef;
import dev.latchkey.Restriction;
import dev.latchkey.Scope;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Address allow-lists and permission restrictions through the filter in real Jetty (issue 11). The
 * test client always connects from 127.0.0.1, so the headers it sends stand for what a client or a
 * proxy could claim: believed only from a configured trusted proxy.
 */
class AllowListHttpTest {
  private static Fixture fixture;
  private static TestServer noProxies;
  private static TestServer otherProxy;
  private static TestServer loopbackProxy;
  private static TestServer loopbackRfc7239Proxy;
  private static PrincipalRef bot;
  private static final AtomicInteger n = new AtomicInteger();

  @BeforeAll
  static void start() {
    fixture = new Fixture();
    bot = fixture.admin.createServiceAccount(Fixture.SYSTEM, NewServiceAccount.of(Scope.account("acme"), "bot", "Bot")
        .withPermissions(Set.of("deploy", "read"))).ref();
    noProxies = TestServer.start(LatchkeyFilter.builder(fixture.latchkey.verifier())
        .requirePermission("/deploy", "deploy").build());
    otherProxy = TestServer.start(LatchkeyFilter.builder(fixture.latchkey.verifier())
        .trustedProxies("192.0.2.0/24", "2001:db8:ffff::/48").build());
    loopbackProxy = TestServer.start(LatchkeyFilter.builder(fixture.latchkey.verifier())
        .trustedProxies("127.0.0.1", "198.51.100.0/24").build());
    loopbackRfc7239Proxy = TestServer.start(LatchkeyFilter.builder(fixture.latchkey.verifier())
        .trustedProxies("127.0.0.1", "198.51.100.0/24").forwardingHeader("forwarded").build());
  }

  @AfterAll
  static void stop() {
    noProxies.close();
    otherProxy.close();
    loopbackProxy.close();
    loopbackRfc7239Proxy.close();
    fixture.close();
  }

  private static String token(Restriction r) {
    int i = n.incrementAndGet();
    var key = fixture.admin.createApiKey(Fixture.SYSTEM, NewApiKey.of(bot, "k" + i, "K"));
    return fixture.admin.issueToken(Fixture.SYSTEM, NewToken.of(key.ref(), "t", "T").restrictedTo(r))
        .value().reveal();
  }

  private static int status(TestServer server, String token, String... headers) {
    String[] all = new String[headers.length + 2];
    all[0] = "Authorization";
    all[1] = "Bearer " + token;
    System.arraycopy(headers, 0, all, 2, headers.length);
    return server.get("/x", all).status();
  }

  @Test
  void thePeerAddressIsCheckedAgainstTheAllowList() {
    assertThat(status(noProxies, token(Restriction.from("127.0.0.0/8")))).isEqualTo(200);
    assertThat(status(noProxies, token(Restriction.from("10.0.0.0/8")))).isEqualTo(401);
    assertThat(status(noProxies, token(Restriction.NONE))).isEqualTo(200);
  }

  @Test
  void withoutTrustedProxiesForwardingHeadersAreIgnored() {
    String tenNet = token(Restriction.from("10.0.0.0/8"));
    assertThat(status(noProxies, tenNet, "X-Forwarded-For", "10.1.2.3")).isEqualTo(401);
    assertThat(status(noProxies, tenNet, "Forwarded", "for=10.1.2.3")).isEqualTo(401);
    String loopback = token(Restriction.from("127.0.0.1"));
    assertThat(status(noProxies, loopback, "X-Forwarded-For", "10.1.2.3")).as("the spoofed header changes nothing")
        .isEqualTo(200);
  }

  @Test
  void headersFromAnUntrustedPeerAreIgnored() {
    String tenNet = token(Restriction.from("10.0.0.0/8"));
    assertThat(status(otherProxy, tenNet, "X-Forwarded-For", "10.1.2.3")).isEqualTo(401);
    assertThat(status(otherProxy, tenNet, "Forwarded", "for=10.1.2.3;proto=https")).isEqualTo(401);
    assertThat(status(otherProxy, tenNet, "X-Forwarded-For", "192.0.2.1, 10.1.2.3")).isEqualTo(401);
    assertThat(status(otherProxy, token(Restriction.from("127.0.0.1")), "X-Forwarded-For", "10.1.2.3"))
        .isEqualTo(200);
  }

  @Test
  void aTrustedProxysHeadersNameTheClient() {
    String tenNet = token(Restriction.from("10.0.0.0/8"));
    assertThat(status(loopbackProxy, tenNet, "X-Forwarded-For", "10.1.2.3")).isEqualTo(200);
    assertThat(status(loopbackRfc7239Proxy, tenNet, "Forwarded", "for=10.1.2.3")).isEqualTo(200);
    assertThat(status(loopbackRfc7239Proxy, tenNet, "Forwarded", "for=\"10.1.2.3:5555\";proto=https;by=203.0.113.1"))
        .isEqualTo(200);
    // two trusted hops (198.51.100.7 and the peer): the client is the next one back
    assertThat(status(loopbackProxy, tenNet, "X-Forwarded-For", "10.1.2.3, 198.51.100.7")).isEqualTo(200);
    assertThat(status(loopbackRfc7239Proxy, tenNet, "Forwarded", "for=10.1.2.3, for=198.51.100.7")).isEqualTo(200);
    String v6 = token(Restriction.from("2001:db8::/32"));
    assertThat(status(loopbackRfc7239Proxy, v6, "Forwarded", "For=\"[2001:db8::1]:4711\"")).isEqualTo(200);
    assertThat(status(loopbackProxy, v6, "X-Forwarded-For", "2001:db8::1")).isEqualTo(200);
    assertThat(status(loopbackProxy, v6, "X-Forwarded-For", "10.1.2.3")).isEqualTo(401);
  }

  @Test
  void aClientCannotPrependItsWayIn() {
    String tenNet = token(Restriction.from("10.0.0.0/8"));
    // the client at 203.0.113.5 sends "X-Forwarded-For: 10.1.2.3"; the trusted proxy appends what it saw
    assertThat(status(loopbackProxy, tenNet, "X-Forwarded-For", "10.1.2.3, 203.0.113.5")).isEqualTo(401);
    assertThat(status(loopbackProxy, tenNet, "X-Forwarded-For", "10.1.2.3", "X-Forwarded-For", "203.0.113.5"))
        .as("the same on two header lines").isEqualTo(401);
    assertThat(status(loopbackRfc7239Proxy, tenNet, "Forwarded", "for=10.1.2.3, for=203.0.113.5")).isEqualTo(401);
    assertThat(status(loopbackRfc7239Proxy, tenNet, "Forwarded", "for=203.0.113.5", "X-Forwarded-For", "10.1.2.3"))
        .as("only the configured header is read").isEqualTo(401);
  }

  @Test
  void aClientCannotSendTheHeaderTheProxyDoesNotWrite() {
    String tenNet = token(Restriction.from("10.0.0.0/8"));
    // a proxy that appends to X-Forwarded-For passes a client's own Forwarded header through untouched
    assertThat(status(loopbackProxy, tenNet, "Forwarded", "for=10.1.2.3", "X-Forwarded-For", "203.0.113.5"))
        .isEqualTo(401);
    assertThat(status(loopbackProxy, tenNet, "Forwarded", "for=10.1.2.3")).isEqualTo(401);
    // and the other way round: a proxy configured for Forwarded passes X-Forwarded-For through
    assertThat(status(loopbackRfc7239Proxy, tenNet, "X-Forwarded-For", "10.1.2.3")).isEqualTo(401);
    assertThat(status(loopbackRfc7239Proxy, tenNet, "X-Forwarded-For", "10.1.2.3", "Forwarded", "for=203.0.113.5"))
        .isEqualTo(401);
  }

  @Test
  void anythingButAnAddressGivesNoAddress() {
    String tenNet = token(Restriction.from("10.0.0.0/8"));
    String anywhere = token(Restriction.NONE);
    for (String bad : new String[] {"unknown", "_hidden", "localhost", "10.1.2.3.nip.io", "", "10.1.2.3:99999",
        "[10.1.2.3]x"}) {
      assertThat(status(loopbackProxy, tenNet, "X-Forwarded-For", bad + (bad.isEmpty() ? "" : ", ") + "10.1.2.3"))
          .as("a real hop behind %s still counts", bad).isEqualTo(200);
      assertThat(status(loopbackProxy, tenNet, "X-Forwarded-For", "10.1.2.3, " + bad)).as(bad).isEqualTo(401);
      assertThat(status(loopbackProxy, anywhere, "X-Forwarded-For", "10.1.2.3, " + bad))
          .as("an unrestricted token does not care").isEqualTo(200);
    }
    assertThat(status(loopbackRfc7239Proxy, tenNet, "Forwarded", "for=unknown")).isEqualTo(401);
    assertThat(status(loopbackProxy, tenNet, "X-Forwarded-For", "198.51.100.1, ".repeat(40) + "198.51.100.2"))
        .as("too many hops").isEqualTo(401);
    // a trusted proxy that forwards nothing is the client itself
    assertThat(status(loopbackProxy, token(Restriction.from("127.0.0.1")))).isEqualTo(200);
  }

  @Test
  void aPermissionRestrictionIsEnforcedByThePathRules() {
    assertThat(noProxies.bearer("/deploy/x", token(Restriction.permissions("read"))).status()).isEqualTo(403);
    assertThat(noProxies.bearer("/deploy/x", token(Restriction.permissions("deploy"))).status()).isEqualTo(200);
    assertThat(noProxies.bearer("/deploy/x", token(Restriction.NONE)).status()).isEqualTo(200);
    assertThat(noProxies.bearer("/x", token(Restriction.permissions("read"))).echoed())
        .containsEntry("permission.deploy", "false");
  }

  @Test
  void literals() {
    assertThat(ClientAddress.literal("10.1.2.3:443")).isEqualTo(IpAddress.parse("10.1.2.3"));
    assertThat(ClientAddress.literal("[2001:db8::1]:443")).isEqualTo(IpAddress.parse("2001:db8::1"));
    assertThat(ClientAddress.literal("[2001:db8::1]")).isEqualTo(IpAddress.parse("2001:db8::1"));
    assertThat(ClientAddress.literal("2001:db8::1")).isEqualTo(IpAddress.parse("2001:db8::1"));
    assertThat(ClientAddress.literal("[10.1.2.3]:x")).isNull();
    assertThat(ClientAddress.literal("10.1.2.3:")).isNull();
    assertThat(ClientAddress.literal("example.com:80")).isNull();
    assertThat(ClientAddress.literal(null)).isNull();
  }

  @Test
  void trustedProxiesAreCheckedWhenConfigured() {
    var builder = LatchkeyFilter.builder(fixture.latchkey.verifier());
    assertThatThrownBy(() -> builder.trustedProxies("proxy.internal"))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("host names are not resolved");
    assertThatThrownBy(() -> builder.trustedProxies("10.0.0.1/8")).isInstanceOf(ConfigurationException.class);
    assertThatThrownBy(() -> builder.forwardingHeader("X-Real-IP")).isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("X-Forwarded-For");
    assertThat(LatchkeyFilter.builder(fixture.latchkey.verifier()).trustedProxies("10.0.0.0/8").build().toString())
        .contains("trustedProxies=[10.0.0.0/8]");
    assertThat(LatchkeyFilter.builder(fixture.latchkey.verifier()).build().toString()).contains("trustedProxies=none");
  }
}
