package dev.latchkey.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.ConfigurationException;
import dev.latchkey.InvalidArgumentException;
import dev.latchkey.Principal;
import dev.latchkey.PrincipalRef;
import dev.latchkey.RejectReason;
import dev.latchkey.Rejected;
import dev.latchkey.Scope;
import dev.latchkey.TokenVerifier;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Builder validation: eager, with messages that say what to fix. */
class BuilderTest {
  private static final TokenVerifier REJECT_ALL = presented -> Rejected.of(RejectReason.MALFORMED);

  private static LatchkeyFilter.Builder builder() {
    return LatchkeyFilter.builder(REJECT_ALL);
  }

  @Test
  void defaults() {
    assertThat(builder().build()).hasToString(
        "LatchkeyFilter[bearer=true, apiKeyHeader=none, realm=none, maxHeaderLength=8192, requiredPermissions=[], trustedProxies=none]");
  }

  @Test
  void everythingSet() {
    LatchkeyFilter filter = builder().bearer(false).apiKeyHeader("X-Api-Key").realm("api").maxHeaderLength(1024)
        .requirePermission("/admin/", "admin").requirePermission("/", "read").requirePermission("/admin", "admin")
        .trustedProxies("10.0.0.0/8", "2001:db8::1").build();
    assertThat(filter).hasToString("LatchkeyFilter[bearer=false, apiKeyHeader=X-Api-Key, realm=api, "
        + "maxHeaderLength=1024, requiredPermissions=[/admin=admin, /=read], "
        + "trustedProxies=[10.0.0.0/8, 2001:db8::1/128] (believed header: X-Forwarded-For)]");
  }

  @Test
  void verifierIsRequired() {
    assertThatThrownBy(() -> LatchkeyFilter.builder(null))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("TokenVerifier is required");
  }

  @Test
  void someSourceMustBeEnabled() {
    assertThatThrownBy(() -> builder().bearer(false).build())
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("no credential source");
  }

  @Test
  void apiKeyHeaderName() {
    for (String bad : new String[] {null, "", "X Api Key", "X-Api-Key:", "X-Äpi", "a\nb"}) {
      assertThatThrownBy(() -> builder().apiKeyHeader(bad)).as(String.valueOf(bad))
          .isInstanceOf(ConfigurationException.class);
    }
    assertThatThrownBy(() -> builder().apiKeyHeader("authorization"))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("bearer(true)");
  }

  @Test
  void realm() {
    for (String bad : new String[] {null, "", "a\"b", "a\\b", "caf\u00e9", "a\r\nb"}) {
      assertThatThrownBy(() -> builder().realm(bad)).as(String.valueOf(bad))
          .isInstanceOf(ConfigurationException.class);
    }
    builder().realm("Acme API (prod)");
  }

  @Test
  void maxHeaderLength() {
    assertThatThrownBy(() -> builder().maxHeaderLength(127))
        .isInstanceOf(ConfigurationException.class).hasMessageContaining("128 to 65536");
    assertThatThrownBy(() -> builder().maxHeaderLength(65537)).isInstanceOf(ConfigurationException.class);
    builder().maxHeaderLength(128).maxHeaderLength(65536);
  }

  @Test
  void pathPrefixes() {
    for (String bad : new String[] {null, "", "admin", "/admin/*", "/*", "/a//b", "//", "/a/../b", "/a/./b", "/..",
        "/a?b", "/a#b", "/a;b", "/%61dmin", "/a b", "/a\\b"}) {
      assertThatThrownBy(() -> builder().requirePermission(bad, "admin")).as(String.valueOf(bad))
          .isInstanceOf(ConfigurationException.class);
    }
    assertThatThrownBy(() -> builder().requirePermission("/admin/*", "admin"))
        .hasMessageContaining("'/admin' already covers /admin and everything below it");
  }

  @Test
  void permissions() {
    for (String bad : new String[] {null, "", "a b", "dep/loy", "x".repeat(129), "a*", "*", "deploy:prod.*"}) {
      assertThatThrownBy(() -> builder().requirePermission("/a", bad)).as(String.valueOf(bad))
          .isInstanceOf(ConfigurationException.class);
    }
    builder().requirePermission("/a", "deploy:prod.eu-1_x").requirePermission("/a", "x".repeat(128));
  }

  @Test
  void aWildcardPermissionIsRefusedBecauseNoPrincipalCanHoldIt() {
    assertThatThrownBy(() -> builder().requirePermission("/x", "a*"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("/x")
        .hasMessageContaining("position 1")
        .hasMessageContaining("no wildcards");
  }

  @Test
  void requiredPermissionsFollowCoresRuleForPermissionNames() {
    // one rule: the filter accepts exactly the names a principal can hold
    for (String name : new String[] {"a", "A_z-0.9:x", "deploy", "x".repeat(128), "x".repeat(129), "", "a*", "*",
        "a b", "a/b", "é", "a\tb", "a,b", "a=b", "ａ"}) {
      boolean coreAccepts;
      try {
        new Principal(PrincipalRef.user("acme", "alice"), "Alice", "", Scope.account("acme"), Set.of(), Set.of(name),
            true, Instant.EPOCH, 1);
        coreAccepts = true;
      } catch (InvalidArgumentException e) {
        coreAccepts = false;
      }
      boolean filterAccepts;
      try {
        builder().requirePermission("/a", name);
        filterAccepts = true;
      } catch (ConfigurationException e) {
        filterAccepts = false;
      }
      assertThat(filterAccepts).as("'%s': accepted by core: %s", name, coreAccepts).isEqualTo(coreAccepts);
    }
  }
}
