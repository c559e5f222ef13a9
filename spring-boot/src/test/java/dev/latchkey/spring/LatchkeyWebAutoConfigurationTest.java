package dev.latchkey.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.Actor;
import dev.latchkey.IssuedToken;
import dev.latchkey.Latchkey;
import dev.latchkey.PrincipalRef;
import dev.latchkey.Verified;
import dev.latchkey.spring.boot.LatchkeyAutoConfiguration;
import dev.latchkey.spring.boot.web.LatchkeyWebAutoConfiguration;
import dev.latchkey.spring.boot.web.LatchkeyWebUserMapping;
import dev.latchkey.spring.security.LatchkeyAuthentication;
import dev.latchkey.spring.security.LatchkeySecurityAutoConfiguration;
import dev.latchkey.web.ActorResolver;
import dev.latchkey.web.Caller;
import dev.latchkey.web.LatchkeyWeb;
import jakarta.servlet.http.HttpServlet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/** The conditions of the web module's mounting, on context runners (no server). */
class LatchkeyWebAutoConfigurationTest {
  private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(LatchkeyAutoConfiguration.class, LatchkeyWebAutoConfiguration.class))
      .withPropertyValues("latchkey.peppers=" + Tokens.PEPPERS);
  private final WebApplicationContextRunner enabled = runner.withPropertyValues("latchkey.web.enabled=true");

  @SuppressWarnings("unchecked")
  private static ServletRegistrationBean<HttpServlet> registration(org.springframework.context.ApplicationContext c) {
    return c.getBean("latchkeyWebRegistration", ServletRegistrationBean.class);
  }

  @Test
  void offByDefault() {
    runner.run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(Latchkey.class);
      assertThat(context).doesNotHaveBean(ServletRegistrationBean.class).doesNotHaveBean(ActorResolver.class);
    });
    runner.withPropertyValues("latchkey.web.enabled=false").run(context ->
        assertThat(context).hasNotFailed().doesNotHaveBean(ServletRegistrationBean.class));
  }

  @Test
  void enabledItIsMountedAtLatchkeyByDefaultOrAtTheConfiguredPath() {
    enabled.run(context -> {
      assertThat(context).hasNotFailed().hasSingleBean(ActorResolver.class);
      assertThat(registration(context).getUrlMappings()).containsExactly("/latchkey/*");
      assertThat(registration(context).getServletName()).isEqualTo("latchkeyWeb");
      assertThat(context).as("no Spring Security here, so no chain").doesNotHaveBean(SecurityFilterChain.class);
    });
    enabled.withPropertyValues("latchkey.web.path=/admin/keys/").run(context ->
        assertThat(registration(context).getUrlMappings()).containsExactly("/admin/keys/*"));
  }

  @Test
  void aBadPathOrOriginFailsStartupNamingTheProperty() {
    for (String path : List.of("latchkey", "/", "/a b", "/x/*")) {
      enabled.withPropertyValues("latchkey.web.path=" + path).run(context -> {
        assertThat(context).as(path).hasFailed();
        assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("latchkey.web.path");
      });
    }
    enabled.withPropertyValues("latchkey.web.allowed-origins=admin.example.com").run(context -> {
      assertThat(context).hasFailed();
      assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("latchkey.web.allowed-origins");
    });
  }

  @Test
  void withoutTheWebModuleOrOutsideAServletApplicationNothingIsMounted() {
    enabled.withClassLoader(new FilteredClassLoader(LatchkeyWeb.class)).run(context ->
        assertThat(context).hasNotFailed().hasSingleBean(Latchkey.class).doesNotHaveBean(ServletRegistrationBean.class));
    new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(LatchkeyAutoConfiguration.class, LatchkeyWebAutoConfiguration.class))
        .withPropertyValues("latchkey.peppers=" + Tokens.PEPPERS, "latchkey.web.enabled=true")
        .run(context -> assertThat(context).hasNotFailed().doesNotHaveBean(ActorResolver.class));
  }

  @Test
  void theApplicationsBeansWin() {
    ActorResolver mine = request -> Optional.empty();
    ServletRegistrationBean<HttpServlet> myRegistration = new ServletRegistrationBean<>(new HttpServlet() { }, "/mine/*");
    enabled.withBean(ActorResolver.class, () -> mine).run(context -> {
      assertThat(context.getBean(ActorResolver.class)).isSameAs(mine);
      assertThat(registration(context).getUrlMappings()).containsExactly("/latchkey/*");
    });
    enabled.withBean("latchkeyWebRegistration", ServletRegistrationBean.class, () -> myRegistration).run(context ->
        assertThat(registration(context)).isSameAs(myRegistration));
  }

  @Test
  void theDefaultResolverMapsSignedInUsersAndLeavesTokenAuthenticationsToTheBearerResolver() {
    LatchkeyWebUserMapping mapping = user -> Optional.of(Actor.principal(PrincipalRef.user("acme", user.getName())));
    enabled.withBean(LatchkeyWebUserMapping.class, () -> mapping).run(context -> {
      ActorResolver resolver = context.getBean(ActorResolver.class);

      MockHttpServletRequest signedIn = new MockHttpServletRequest();
      signedIn.setUserPrincipal(() -> "carol");
      assertThat(resolver.resolve(signedIn)).contains(Caller.session(Actor.principal(PrincipalRef.user("acme", "carol"))));

      IssuedToken token = Tokens.issue(context.getBean(Latchkey.class), Set.of("read"), Set.of());
      Verified verified = (Verified) context.getBean(Latchkey.class).verifier().verify(token.value());
      MockHttpServletRequest withToken = new MockHttpServletRequest();
      withToken.setUserPrincipal(new LatchkeyAuthentication(verified, List.of()));
      assertThat(resolver.resolve(withToken)).as("a token's authentication is not a signed-in user").isEmpty();
      withToken.addHeader("Authorization", "Bearer " + token.value().reveal());
      assertThat(resolver.resolve(withToken)).contains(Caller.bearer(Actor.of(verified)));

      assertThat(resolver.resolve(new MockHttpServletRequest())).as("nobody").isEmpty();
    });
    enabled.run(context -> {
      MockHttpServletRequest signedIn = new MockHttpServletRequest();
      signedIn.setUserPrincipal(() -> "carol");
      assertThat(context.getBean(ActorResolver.class).resolve(signedIn))
          .as("without a mapping bean only tokens are recognised").isEmpty();
    });
  }

  @Test
  void withSpringSecurityThePathHasAChainOfItsOwnThatTheApplicationCanReplace() {
    WebApplicationContextRunner secured = enabled.withConfiguration(AutoConfigurations.of(
        ServletWebSecurityAutoConfiguration.class, LatchkeySecurityAutoConfiguration.class));
    secured.run(context -> {
      assertThat(context).hasNotFailed();
      SecurityFilterChain chain = context.getBean("latchkeyWebSecurityFilterChain", SecurityFilterChain.class);
      MockHttpServletRequest api = new MockHttpServletRequest("GET", "/latchkey/api/v1/session");
      api.setServletPath("/latchkey");
      api.setPathInfo("/api/v1/session");
      assertThat(chain.matches(api)).isTrue();
      assertThat(chain.matches(new MockHttpServletRequest("GET", "/latchkeys"))).isFalse();
      assertThat(chain.getFilters()).as("Spring's CSRF filter is off on the path: the module checks")
          .noneMatch(f -> f instanceof org.springframework.security.web.csrf.CsrfFilter);
      assertThat(context.getBeansOfType(SecurityFilterChain.class)).as("Boot's default chain is still there")
          .hasSizeGreaterThan(1);
    });
    secured.withUserConfiguration(MyChain.class).run(context ->
        assertThat(context.getBean("latchkeyWebSecurityFilterChain")).isSameAs(context.getBean(MyChain.class).chain));
  }

  @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
  static class MyChain {
    SecurityFilterChain chain;

    @org.springframework.context.annotation.Bean
    SecurityFilterChain latchkeyWebSecurityFilterChain(HttpSecurity http) throws Exception {
      chain = http.securityMatcher("/latchkey/**").build();
      return chain;
    }
  }
}
