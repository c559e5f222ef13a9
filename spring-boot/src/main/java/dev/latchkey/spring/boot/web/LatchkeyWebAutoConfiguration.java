package dev.latchkey.spring.boot.web;

import dev.latchkey.ConfigurationException;
import dev.latchkey.Latchkey;
import dev.latchkey.spring.boot.LatchkeyAutoConfiguration;
import dev.latchkey.spring.boot.LatchkeyProperties;
import dev.latchkey.spring.security.LatchkeyConfigurer;
import dev.latchkey.web.ActorResolver;
import dev.latchkey.web.LatchkeyWeb;
import jakarta.servlet.http.HttpServlet;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.util.ClassUtils;

/**
 * Mounts Latchkey's management API and web console ({@code latchkey-web}) when it is on the class
 * path and {@code latchkey.web.enabled=true} (off by default): the servlet at {@code
 * <latchkey.web.path>/*} (default {@code /latchkey/*}), callers resolved from the signed-in user
 * (through the application's {@link LatchkeyWebUserMapping} bean) or a Latchkey bearer token, and,
 * with Spring Security, a filter chain of its own for that path. Every bean backs off for one of the
 * application's (the chain and the registration by name).
 */
@AutoConfiguration(after = LatchkeyAutoConfiguration.class, afterName =
    "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration")
@ConditionalOnClass({LatchkeyWeb.class, ServletRegistrationBean.class, HttpServlet.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnProperty(prefix = "latchkey.web", name = "enabled", havingValue = "true")
@ConditionalOnBean(Latchkey.class)
@EnableConfigurationProperties(LatchkeyProperties.class)
public class LatchkeyWebAutoConfiguration {
  /**
   * The order of the auto-configured {@code latchkeyWebSecurityFilterChain}: early, so that it is
   * consulted before the application's chains (which usually match every request); it matches only
   * the mount path.
   */
  public static final int SECURITY_ORDER = Ordered.HIGHEST_PRECEDENCE + 50;

  private static final Logger log = LoggerFactory.getLogger(LatchkeyWebAutoConfiguration.class);
  private static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9._~-]+)+");

  /**
   * Who is calling: the signed-in user mapped by the application's {@link LatchkeyWebUserMapping}
   * (a session caller, so the module's CSRF checks apply), or else a Latchkey bearer token.
   */
  @Bean
  @ConditionalOnMissingBean
  ActorResolver latchkeyWebActorResolver(Latchkey latchkey, ObjectProvider<LatchkeyWebUserMapping> mapping,
      LatchkeyProperties properties) {
    ActorResolver bearer = ActorResolver.bearerToken(latchkey.verifier());
    LatchkeyWebUserMapping users = mapping.getIfUnique();
    if (users == null) {
      log.info("No LatchkeyWebUserMapping bean: signed-in users are not recognised at {}, only Latchkey bearer"
          + " tokens are. Define one to let your users manage their keys in the console.",
          properties.getWeb().getPath());
      return bearer;
    }
    return ActorResolver.userPrincipal(user -> TokenAuthentication.isOne(user) ? Optional.empty() : users.actor(user))
        .or(bearer);
  }

  /** The servlet, at {@code <latchkey.web.path>/*}. */
  @Bean
  @ConditionalOnMissingBean(name = "latchkeyWebRegistration")
  ServletRegistrationBean<HttpServlet> latchkeyWebRegistration(Latchkey latchkey, ActorResolver resolver,
      LatchkeyProperties properties, ObjectProvider<LatchkeyWebCustomizer> customizers) {
    LatchkeyProperties.Web web = properties.getWeb();
    String path = mountPath(web.getPath());
    LatchkeyWeb.Builder builder = LatchkeyWeb.builder(latchkey).actorResolver(resolver).console(web.isConsole());
    for (String origin : web.getAllowedOrigins()) {
      try {
        builder.allowedOrigin(origin);
      } catch (RuntimeException e) {
        throw new ConfigurationException("latchkey.web.allowed-origins: " + e.getMessage());
      }
    }
    customizers.orderedStream().forEach(c -> c.customize(builder));
    ServletRegistrationBean<HttpServlet> registration = new ServletRegistrationBean<>(builder.build(), path + "/*");
    registration.setName("latchkeyWeb");
    registration.setLoadOnStartup(1);
    log.info("Latchkey management API at {}/api/v1/, console {}", path, web.isConsole() ? "at " + path + "/" : "off");
    return registration;
  }

  /** {@code /latchkey}, {@code /admin/keys}: a leading slash, segments, no trailing slash. */
  static String mountPath(String path) {
    String p = path == null ? "" : path.trim();
    if (p.endsWith("/") && p.length() > 1) {
      p = p.substring(0, p.length() - 1);
    }
    if (!PATH.matcher(p).matches()) {
      throw new ConfigurationException("latchkey.web.path must be a path such as /latchkey (a leading '/',"
          + " segments of letters, digits and ._~-, not the root), was '" + path + "'");
    }
    return p;
  }

  /**
   * With Spring Security: a chain for {@code <path>/**} only. Every request must be authenticated:
   * by the application's sign-in (its session, which this chain reads but never creates) or by a
   * Latchkey token. Spring Security's CSRF protection is off here because the module does its own
   * (an Origin check plus a CSRF token for session callers, see latchkey-web's README), which its
   * console speaks; keeping both would refuse the console's requests. The chain has no sign-in of its
   * own: add one with a {@link LatchkeyWebSecurityCustomizer}, or sign in elsewhere in the
   * application first (the session is shared).
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass({SecurityFilterChain.class, HttpSecurity.class, LatchkeyConfigurer.class})
  @ConditionalOnBean(HttpSecurity.class)
  static class Security {
    @Bean
    @Order(SECURITY_ORDER)
    @ConditionalOnMissingBean(name = "latchkeyWebSecurityFilterChain")
    SecurityFilterChain latchkeyWebSecurityFilterChain(HttpSecurity http, LatchkeyProperties properties,
        ObjectProvider<LatchkeyWebSecurityCustomizer> customizers) throws Exception {
      String path = mountPath(properties.getWeb().getPath());
      http
          .securityMatcher(path, path + "/**")
          .authorizeHttpRequests(a -> a.anyRequest().authenticated())
          .csrf(csrf -> csrf.disable())
          .requestCache(cache -> cache.disable()) // no session just to remember a refused request
          // tokens authenticate; an existing session (the application's login) is read
          .with(LatchkeyConfigurer.latchkey().stateless(false), Customizer.withDefaults());
      for (LatchkeyWebSecurityCustomizer c : customizers.orderedStream().toList()) {
        c.customize(http);
      }
      return http.build();
    }
  }

  /** Whether a user principal is a Latchkey token's authentication (only when Spring Security is there). */
  private static final class TokenAuthentication {
    private static final boolean SECURITY = ClassUtils.isPresent(
        "org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken",
        TokenAuthentication.class.getClassLoader());

    static boolean isOne(java.security.Principal user) {
      return SECURITY && Check.isLatchkey(user);
    }

    private static final class Check {
      static boolean isLatchkey(java.security.Principal user) {
        return user instanceof dev.latchkey.spring.security.LatchkeyAuthentication;
      }
    }
  }
}
