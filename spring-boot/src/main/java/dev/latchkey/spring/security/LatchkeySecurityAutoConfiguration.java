package dev.latchkey.spring.security;

import dev.latchkey.servlet.HeaderCredentials;
import dev.latchkey.spring.boot.LatchkeyAutoConfiguration;
import dev.latchkey.spring.boot.LatchkeyProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken;

/**
 * The parts {@link LatchkeyConfigurer} and the reactive integration take from the context: how
 * credentials are read ({@code latchkey.security.*}) and how a verified token becomes authorities.
 * Each backs off for a bean of the application's.
 */
@AutoConfiguration(after = LatchkeyAutoConfiguration.class)
@ConditionalOnClass({AbstractOAuth2TokenAuthenticationToken.class, HeaderCredentials.class})
@EnableConfigurationProperties(LatchkeyProperties.class)
public class LatchkeySecurityAutoConfiguration {
  @Bean
  @ConditionalOnMissingBean
  LatchkeyAuthorities latchkeyAuthorities(LatchkeyProperties properties) {
    return new LatchkeyAuthorities(properties.getSecurity().getRolePrefix());
  }

  @Bean
  @ConditionalOnMissingBean
  HeaderCredentials latchkeyHeaderCredentials(LatchkeyProperties properties) {
    LatchkeyProperties.Security s = properties.getSecurity();
    if (s.getMaxHeaderLength() < 64) {
      throw new dev.latchkey.ConfigurationException("latchkey.security.max-header-length must be at least 64 (was "
          + s.getMaxHeaderLength() + ")");
    }
    String apiKeyHeader = s.getApiKeyHeader() == null || s.getApiKeyHeader().isBlank() ? null : s.getApiKeyHeader();
    if (!s.isBearer() && apiKeyHeader == null) {
      throw new dev.latchkey.ConfigurationException("latchkey.security.bearer is false and no"
          + " latchkey.security.api-key-header is set: no request could carry a token");
    }
    return new HeaderCredentials(s.isBearer(), apiKeyHeader, s.getMaxHeaderLength());
  }

  /** Servlet applications only; the class names keep this free of Servlet types until the condition holds. */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnClass(name = {"jakarta.servlet.http.HttpServletRequest",
      "org.springframework.security.web.authentication.AuthenticationConverter"})
  static class ServletConfiguration {
    @Bean
    @ConditionalOnMissingBean
    LatchkeyAuthenticationConverter latchkeyAuthenticationConverter(HeaderCredentials headers) {
      return new LatchkeyAuthenticationConverter(headers);
    }
  }
}
