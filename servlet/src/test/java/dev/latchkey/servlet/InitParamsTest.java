package dev.latchkey.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.ConfigurationException;
import dev.latchkey.RejectReason;
import dev.latchkey.Rejected;
import dev.latchkey.TokenVerifier;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletException;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.junit.jupiter.api.Test;

/** Configuration the web.xml way: by class, init-params and a servlet-context attribute. */
class InitParamsTest {
  private static final TokenVerifier REJECT_ALL = presented -> Rejected.of(RejectReason.MALFORMED);

  /** A container declaring the filter by class, as web.xml does, with the verifier set by a listener. */
  @Test
  void declaredByClassInAContainer() {
    try (Fixture fixture = new Fixture()) {
      String deployer = fixture.serviceAccount("ci_bot", Set.of("deployer"), Set.of("deploy")).token();
      FilterHolder holder = new FilterHolder(LatchkeyFilter.class);
      holder.setInitParameter(LatchkeyFilter.PARAM_API_KEY_HEADER, " X-Api-Key ");
      holder.setInitParameter(LatchkeyFilter.PARAM_REALM, "acme");
      holder.setInitParameter(LatchkeyFilter.PARAM_REQUIRED_PERMISSIONS, "\n   /admin=admin,\n   /deploy=deploy\n");
      ServletContextListener listener = new ServletContextListener() {
        @Override
        public void contextInitialized(ServletContextEvent event) {
          // A Latchkey works as well as its verifier.
          event.getServletContext().setAttribute(LatchkeyFilter.VERIFIER_ATTRIBUTE, fixture.latchkey);
        }
      };
      try (TestServer server = TestServer.start(holder, context -> context.addEventListener(listener))) {
        Reply ok = server.get("/deploy/x", "X-Api-Key", deployer);
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.echoed()).containsEntry("principal", "acme/sa/ci_bot").containsEntry("role.deployer", "true");
        assertThat(server.bearer("/deploy/x", deployer).status()).isEqualTo(200);

        Reply forbidden = server.get("/admin", "X-Api-Key", deployer);
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.headerValues("WWW-Authenticate"))
            .containsExactly("Bearer realm=\"acme\", error=\"insufficient_scope\"");
        Expect.notEchoed(forbidden, deployer);
      }
    }
  }

  @Test
  void everyParameter() {
    LatchkeyFilter filter = new LatchkeyFilter();
    assertThat(filter).hasToString("LatchkeyFilter[unconfigured]");
    filter.init(config(Map.of("other.verifier", REJECT_ALL), Map.of(
        LatchkeyFilter.PARAM_VERIFIER_ATTRIBUTE, "other.verifier",
        LatchkeyFilter.PARAM_BEARER, "FALSE",
        LatchkeyFilter.PARAM_API_KEY_HEADER, "X-Token",
        LatchkeyFilter.PARAM_REALM, "r",
        LatchkeyFilter.PARAM_MAX_HEADER_LENGTH, " 512 ",
        LatchkeyFilter.PARAM_REQUIRED_PERMISSIONS, "/a=x /b/=y,/c=z",
        LatchkeyFilter.PARAM_TRUSTED_PROXIES, " 10.0.0.0/8,\n  192.0.2.1 ",
        LatchkeyFilter.PARAM_FORWARDING_HEADER, "Forwarded")));
    assertThat(filter).hasToString("LatchkeyFilter[bearer=false, apiKeyHeader=X-Token, realm=r, "
        + "maxHeaderLength=512, requiredPermissions=[/a=x, /b=y, /c=z], trustedProxies=[10.0.0.0/8, 192.0.2.1/32] "
        + "(believed header: Forwarded)]");
  }

  @Test
  void blankParametersMeanDefaults() {
    LatchkeyFilter filter = new LatchkeyFilter();
    filter.init(config(Map.of(LatchkeyFilter.VERIFIER_ATTRIBUTE, REJECT_ALL),
        Map.of(LatchkeyFilter.PARAM_REALM, "  ", LatchkeyFilter.PARAM_API_KEY_HEADER, "")));
    assertThat(filter).hasToString(
        "LatchkeyFilter[bearer=true, apiKeyHeader=none, realm=none, maxHeaderLength=8192, requiredPermissions=[], trustedProxies=none]");
  }

  @Test
  void missingVerifierSaysHowToProvideIt() {
    assertThatThrownBy(() -> new LatchkeyFilter().init(config(Map.of(), Map.of())))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("filter 'latchkey'")
        .hasMessageContaining("'dev.latchkey.TokenVerifier'")
        .hasMessageContaining("ServletContextListener");
  }

  @Test
  void wrongAttributeType() {
    assertThatThrownBy(() -> new LatchkeyFilter().init(config(Map.of(LatchkeyFilter.VERIFIER_ATTRIBUTE, "nope"), Map.of())))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("java.lang.String, not a TokenVerifier or Latchkey");
  }

  @Test
  void badParameters() {
    Map<String, String> bad = new LinkedHashMap<>();
    bad.put("releam", "unknown init-param 'releam'");
    bad.put(LatchkeyFilter.PARAM_BEARER + "=yes", "must be true or false");
    bad.put(LatchkeyFilter.PARAM_BEARER + "=false", "no credential source");
    bad.put(LatchkeyFilter.PARAM_MAX_HEADER_LENGTH + "=8k", "whole number");
    bad.put(LatchkeyFilter.PARAM_MAX_HEADER_LENGTH + "=10", "128 to 65536");
    bad.put(LatchkeyFilter.PARAM_REQUIRED_PERMISSIONS + "=/admin:admin", "<path prefix>=<permission>");
    bad.put(LatchkeyFilter.PARAM_REQUIRED_PERMISSIONS + "=/admin/*=admin", "already covers");
    bad.put(LatchkeyFilter.PARAM_REQUIRED_PERMISSIONS + "=/ok=fine, /x=a*", "no wildcards");
    bad.put(LatchkeyFilter.PARAM_API_KEY_HEADER + "=Authorization", "bearer(true)");
    bad.forEach((param, message) -> {
      String name = param.contains("=") ? param.substring(0, param.indexOf('=')) : param;
      String value = param.contains("=") ? param.substring(param.indexOf('=') + 1) : "x";
      assertThatThrownBy(() -> new LatchkeyFilter().init(
          config(Map.of(LatchkeyFilter.VERIFIER_ATTRIBUTE, REJECT_ALL), Map.of(name, value))))
          .as(param)
          .isInstanceOf(ConfigurationException.class)
          .hasMessageStartingWith("filter 'latchkey': ")
          .hasMessageContaining(message);
    });
  }

  @Test
  void aBuiltFilterRefusesInitParamsRatherThanIgnoringThem() {
    LatchkeyFilter built = LatchkeyFilter.builder(REJECT_ALL).build();
    built.init(config(Map.of(), Map.of()));
    assertThatThrownBy(() -> built.init(config(Map.of(), Map.of(LatchkeyFilter.PARAM_REALM, "x"))))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("LatchkeyFilter.builder")
        .hasMessageContaining("[realm]");
  }

  @Test
  void unconfiguredFilterFailsClosed() {
    assertThatThrownBy(() -> new LatchkeyFilter().doFilter(null, null, null))
        .isInstanceOf(ServletException.class)
        .hasMessageContaining("not initialised");
  }

  private static FilterConfig config(Map<String, Object> attributes, Map<String, String> params) {
    ServletContext context = (ServletContext) Proxy.newProxyInstance(ServletContext.class.getClassLoader(),
        new Class<?>[] {ServletContext.class}, (proxy, method, args) -> {
          if (method.getName().equals("getAttribute")) {
            return attributes.get((String) args[0]);
          }
          throw new UnsupportedOperationException(method.getName());
        });
    return new FilterConfig() {
      @Override
      public String getFilterName() {
        return "latchkey";
      }

      @Override
      public ServletContext getServletContext() {
        return context;
      }

      @Override
      public String getInitParameter(String name) {
        return params.get(name);
      }

      @Override
      public Enumeration<String> getInitParameterNames() {
        return Collections.enumeration(params.keySet());
      }
    };
  }
}
