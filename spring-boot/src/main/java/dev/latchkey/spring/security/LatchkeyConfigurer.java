package dev.latchkey.spring.security;

import dev.latchkey.Latchkey;
import dev.latchkey.servlet.HeaderCredentials;
import org.springframework.context.ApplicationContext;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.CsrfConfigurer;
import org.springframework.security.config.annotation.web.configurers.ExceptionHandlingConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.AuthenticationEntryPointFailureHandler;
import org.springframework.security.web.authentication.AuthenticationFilter;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.util.matcher.RequestMatcher;

/**
 * Protects a {@code SecurityFilterChain} with Latchkey tokens:
 *
 * <pre>{@code
 * http.with(LatchkeyConfigurer.latchkey(), Customizer.withDefaults())
 * }</pre>
 *
 * <p>It adds an {@link AuthenticationFilter} that reads the token ({@link
 * LatchkeyAuthenticationConverter}) and verifies it ({@link LatchkeyAuthenticationProvider}), and
 * answers through Spring Security's own RFC 6750 handlers: {@code 401} with {@code WWW-Authenticate:
 * Bearer} for a missing token, {@code error="invalid_token"} for any bad one, {@code 403 error=
 * "insufficient_scope"} when authorization denies a token-authenticated request. The token is never
 * echoed. CSRF protection is skipped for requests that carry a token (they carry no cookie to
 * forge), as Spring's OAuth2 resource server does.
 *
 * <p>By default the chain becomes stateless: no session is created or read, no request is saved
 * for a later login. Use a chain of its own for the API ({@code securityMatcher("/api/**")}) beside
 * one with form login or OAuth2 login; or, to mix them in one chain, {@link #stateless(boolean)
 * stateless(false)}: tokens are still never stored in a session.
 *
 * <p>Unless set here, the converter is made from the context's {@link HeaderCredentials} bean and
 * the provider from its {@code Latchkey} and {@link LatchkeyAuthorities} beans (auto-configured:
 * {@code latchkey.security.*}). Neither is a bean itself: Spring Security picks up beans of those
 * types for other parts of the application (an {@link AuthenticationProvider} bean replaces Spring
 * Boot's user-details login, an {@code AuthenticationConverter} bean is taken by its OAuth2
 * resource server).
 */
public final class LatchkeyConfigurer extends AbstractHttpConfigurer<LatchkeyConfigurer, HttpSecurity> {
  private LatchkeyAuthenticationConverter converter;
  private AuthenticationProvider provider;
  private AuthenticationEntryPoint entryPoint = new BearerTokenAuthenticationEntryPoint();
  private AccessDeniedHandler accessDeniedHandler = new BearerTokenAccessDeniedHandler();
  private boolean stateless = true;
  private HttpSecurity http;

  /**
   * A configurer with the defaults described above.
   *
   * @return a new configurer, for {@code http.with(...)}
   */
  public static LatchkeyConfigurer latchkey() {
    return new LatchkeyConfigurer();
  }

  /**
   * Replaces the converter made from the context's {@link HeaderCredentials} bean.
   *
   * @param converter reads the token from a request
   * @return this configurer
   */
  public LatchkeyConfigurer authenticationConverter(LatchkeyAuthenticationConverter converter) {
    this.converter = converter;
    return this;
  }

  /**
   * Replaces the provider, for example one made over another {@code TokenVerifier}.
   *
   * @param provider verifies the token the converter read
   * @return this configurer
   */
  public LatchkeyConfigurer authenticationProvider(AuthenticationProvider provider) {
    this.provider = provider;
    return this;
  }

  /**
   * Replaces the RFC 6750 entry point that answers a missing or bad token with 401. An over-limit
   * token is still answered with 429 ({@link LatchkeyAuthenticationEntryPoint}).
   *
   * @param entryPoint answers unauthenticated requests
   * @return this configurer
   */
  public LatchkeyConfigurer authenticationEntryPoint(AuthenticationEntryPoint entryPoint) {
    this.entryPoint = entryPoint;
    return this;
  }

  /**
   * Replaces the RFC 6750 handler that answers a denied token-authenticated request with 403.
   *
   * @param handler answers requests that authorization denies
   * @return this configurer
   */
  public LatchkeyConfigurer accessDeniedHandler(AccessDeniedHandler handler) {
    this.accessDeniedHandler = handler;
    return this;
  }

  /**
   * Default true: the chain keeps no session (its default session policy becomes {@code
   * STATELESS}; a policy the chain sets explicitly still wins). False leaves the chain's session
   * handling alone; tokens are still never stored in a session.
   *
   * @param stateless false to keep the chain's session handling
   * @return this configurer
   */
  public LatchkeyConfigurer stateless(boolean stateless) {
    this.stateless = stateless;
    applySessionDefault();
    return this;
  }

  /**
   * Called by {@code http.with(latchkey(), ...)}, before any configurer's {@code init}: the session
   * policy must be in place before the session-management configurer reads it there.
   */
  @Override
  public void setBuilder(HttpSecurity http) {
    super.setBuilder(http);
    this.http = http;
    applySessionDefault();
  }

  private void applySessionDefault() {
    if (http != null) {
      // a shared object is only the default: sessionManagement(s -> s.sessionCreationPolicy(...)) wins
      http.setSharedObject(SessionCreationPolicy.class,
          stateless ? SessionCreationPolicy.STATELESS : SessionCreationPolicy.IF_REQUIRED);
    }
  }

  @Override
  @SuppressWarnings("unchecked")
  public void init(HttpSecurity http) {
    RequestMatcher withToken = converter(http).credentialMatcher();
    ExceptionHandlingConfigurer<HttpSecurity> exceptions = http.getConfigurer(ExceptionHandlingConfigurer.class);
    if (exceptions != null) {
      // the only mapping in an API chain, so also the default for requests without a token
      exceptions.defaultAuthenticationEntryPointFor(entryPoint, withToken);
      exceptions.defaultAccessDeniedHandlerFor(accessDeniedHandler, withToken);
    }
    CsrfConfigurer<HttpSecurity> csrf = http.getConfigurer(CsrfConfigurer.class);
    if (csrf != null) {
      csrf.ignoringRequestMatchers(withToken);
    }
  }

  @Override
  public void configure(HttpSecurity http) {
    AuthenticationFilter filter = new AuthenticationFilter(new ProviderManager(provider(http)), converter(http));
    filter.setSuccessHandler((request, response, authentication) -> { }); // go on down the chain
    // 429 for an over-limit token whatever entry point is set: the token is fine, the client must wait
    filter.setFailureHandler(new AuthenticationEntryPointFailureHandler(new LatchkeyAuthenticationEntryPoint(entryPoint)));
    filter.setSecurityContextRepository(new RequestAttributeSecurityContextRepository());
    filter.setSecurityContextHolderStrategy(getSecurityContextHolderStrategy());
    http.addFilterBefore(postProcess(filter), BasicAuthenticationFilter.class);
  }

  private LatchkeyAuthenticationConverter converter(HttpSecurity http) {
    if (converter == null) {
      HeaderCredentials headers = context(http).getBeanProvider(HeaderCredentials.class).getIfAvailable();
      converter = headers == null ? LatchkeyAuthenticationConverter.bearer() : new LatchkeyAuthenticationConverter(headers);
    }
    return converter;
  }

  private AuthenticationProvider provider(HttpSecurity http) {
    if (provider == null) {
      ApplicationContext context = context(http);
      LatchkeyAuthorities authorities = context.getBeanProvider(LatchkeyAuthorities.class)
          .getIfAvailable(LatchkeyAuthorities::defaults);
      provider = new LatchkeyAuthenticationProvider(context.getBean(Latchkey.class).verifier(), authorities);
    }
    return provider;
  }

  private static ApplicationContext context(HttpSecurity http) {
    ApplicationContext context = http.getSharedObject(ApplicationContext.class);
    if (context == null) {
      throw new IllegalStateException("no ApplicationContext to find the Latchkey beans in:"
          + " set latchkey().authenticationConverter(...) and .authenticationProvider(...)");
    }
    return context;
  }
}
