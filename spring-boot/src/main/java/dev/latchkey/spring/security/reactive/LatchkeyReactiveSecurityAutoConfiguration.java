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
 * WebFlux: a {@link LatchkeyServerSecurity} for {@code http.oauth2ResourceServer(latchkey.resourceServer())}. The
 * converter and manager inside it are deliberately not beans: Spring Security would make a {@code
 * ReactiveAuthenticationManager} bean every chain's default, for form login and HTTP Basic too.
 */
@AutoConfiguration(after = LatchkeySecurityAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
@ConditionalOnClass({ServerHttpSecurity.class, Mono.class, HeaderCredentials.class})
@ConditionalOnBean({Latchkey.class, HeaderCredentials.class, LatchkeyAuthorities.class})
public class LatchkeyReactiveSecurityAutoConfiguration {
  @Bean
  @ConditionalOnMissingBean
  LatchkeyServerSecurity latchkeyServerSecurity(Latchkey latchkey, HeaderCredentials headers,
      LatchkeyAuthorities authorities) {
    return new LatchkeyServerSecurity(new LatchkeyServerAuthenticationConverter(headers),
        new LatchkeyReactiveAuthenticationManager(latchkey.verifier(), authorities));
  }
}
