package dev.latchkey.spring.boot.actuate;

import dev.latchkey.Latchkey;
import dev.latchkey.spring.boot.LatchkeyAutoConfiguration;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Micrometer meters for the {@link Latchkey} bean ({@link LatchkeyMetrics}). Spring Boot binds
 * every {@code MeterBinder} bean to its registry; the metrics appear at {@code
 * /actuator/metrics/latchkey.verify} and the others named in {@link LatchkeyMetrics}.
 */
@AutoConfiguration(before = LatchkeyAutoConfiguration.class)
@ConditionalOnClass({Latchkey.class, MeterBinder.class})
public class LatchkeyMetricsAutoConfiguration {
  @Bean
  @ConditionalOnMissingBean
  LatchkeyMetrics latchkeyMetrics(ObjectProvider<Latchkey> latchkey) {
    return new LatchkeyMetrics(latchkey::getObject);
  }
}
