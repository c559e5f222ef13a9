package dev.latchkey.spring.boot.actuate;

import dev.latchkey.Latchkey;
import dev.latchkey.PepperKeyset;
import dev.latchkey.spring.boot.LatchkeyAutoConfiguration;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * The {@code latchkey} health contributor ({@link LatchkeyHealthIndicator}); off with {@code
 * management.health.latchkey.enabled=false}.
 */
@AutoConfiguration(after = LatchkeyAutoConfiguration.class)
@ConditionalOnClass({Latchkey.class, HealthIndicator.class})
@ConditionalOnBean(Latchkey.class)
@ConditionalOnEnabledHealthIndicator("latchkey")
public class LatchkeyHealthAutoConfiguration {
  @Bean
  @ConditionalOnMissingBean(name = "latchkeyHealthIndicator")
  LatchkeyHealthIndicator latchkeyHealthIndicator(Latchkey latchkey, ObjectProvider<PepperKeyset> peppers) {
    return new LatchkeyHealthIndicator(latchkey, peppers.getIfUnique());
  }
}
