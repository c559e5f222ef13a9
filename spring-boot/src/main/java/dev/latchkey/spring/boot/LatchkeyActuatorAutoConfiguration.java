package dev.latchkey.spring.boot;

import org.springframework.boot.actuate.endpoint.SanitizingFunction;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/** Keeps the pepper keyset out of Actuator's {@code env} and {@code configprops} endpoints. */
@AutoConfiguration
@ConditionalOnClass(SanitizingFunction.class)
@EnableConfigurationProperties(LatchkeyProperties.class)
public class LatchkeyActuatorAutoConfiguration {
  @Bean
  LatchkeySanitizingFunction latchkeySanitizingFunction(LatchkeyProperties properties) {
    return new LatchkeySanitizingFunction(properties.getPeppersEnv());
  }
}
