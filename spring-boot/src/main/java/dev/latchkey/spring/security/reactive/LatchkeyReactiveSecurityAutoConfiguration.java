package dev.latchkey.spring.security.reactive;

import dev.latchkey.Latchkey;
import dev.latchkey.servlet.HeaderCredentials;
import dev.latchkey.spring.security.LatchkeyAuthorities;
import dev.latchkey.spring.security.LatchkeySecurityAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import reactor.core.publisher.Mono;

/**
 * WebFlux: a {@link LatchkeyServerSecurity} for {@code http.oauth2ResourceServer(latchkey)}. The
 * manager inside it is deliberately not a {@code ReactiveAuthenticationManager} bean: Spring
 * Security would make such a bean every chain's default, for form login and HTTP Basic too.
 */
@AutoConfiguration(after = LatchkeySecurityAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass({ServerHttpSecurity.class, Mono.class, HeaderCredentials.class})
@ConditionalOnBean({Latchkey.class, HeaderCredentials.class, LatchkeyAuthorities.class})
public class LatchkeyReactiveSecurityAutoConfiguration {
  @Bean
  @ConditionalOnMissingBean
  LatchkeyServerAuthenticationConverter latchkeyServerAuthenticationConverter(HeaderCredentials headers) {
    return new LatchkeyServerAuthenticationConverter(headers);
  }

  @Bean
  @ConditionalOnMissingBean
  LatchkeyServerSecurity latchkeyServerSecurity(Latchkey latchkey, LatchkeyServerAuthenticationConverter converter,
      LatchkeyAuthorities authorities) {
    return new LatchkeyServerSecurity(converter,
        new LatchkeyReactiveAuthenticationManager(latchkey.verifier(), authorities));
  }
}
