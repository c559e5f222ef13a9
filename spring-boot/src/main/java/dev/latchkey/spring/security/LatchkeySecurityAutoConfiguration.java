package dev.latchkey.spring.security;

import dev.latchkey.servlet.HeaderCredentials;
import dev.latchkey.spring.boot.LatchkeyAutoConfiguration;
import dev.latchkey.spring.boot.LatchkeyProperties;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.security.oauth2.server.resource.authentication.AbstractOAuth2TokenAuthenticationToken;

/**
 * The parts {@link LatchkeyConfigurer} and the reactive integration take from the context: how
 * credentials are read ({@code latchkey.security.*}, a {@link HeaderCredentials}) and how a
 * verified token becomes authorities. Each backs off for a bean of the application's.
 *
 * <p>Deliberately no bean of Spring Security's own types ({@code AuthenticationConverter}, {@code
 * AuthenticationProvider}, {@code ServerAuthenticationConverter}, {@code
 * ReactiveAuthenticationManager}): Spring Security picks such beans up for other parts of the
 * application (its OAuth2 resource server takes an {@code AuthenticationConverter} bean, its
 * user-details login backs off for an {@code AuthenticationProvider}).
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
}
