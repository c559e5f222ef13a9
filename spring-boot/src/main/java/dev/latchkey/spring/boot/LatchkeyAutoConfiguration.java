package dev.latchkey.spring.boot;

import dev.latchkey.ConfigurationException;
import dev.latchkey.Latchkey;
import dev.latchkey.Limits;
import dev.latchkey.PepperKeyset;
import dev.latchkey.VerificationListener;
import dev.latchkey.VerificationResult;
import dev.latchkey.jdbc.JdbcSchema;
import dev.latchkey.jdbc.JdbcTokenStore;
import dev.latchkey.memory.MemoryTokenStore;
import dev.latchkey.spi.TokenStore;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The {@link Latchkey} bean, its {@link TokenStore} and its {@link PepperKeyset}. Each backs off
 * when the application defines its own bean of that type.
 *
 * <p>Store: the application's one (or primary) {@link DataSource} gives a {@link JdbcTokenStore}
 * (its schema handled as {@code latchkey.schema} says); without one, a {@link MemoryTokenStore},
 * with a WARN at startup because its tokens are gone after a restart.
 */
@AutoConfiguration(afterName = {
    "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
    "org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration",
    "org.springframework.boot.liquibase.autoconfigure.LiquibaseAutoConfiguration"})
@ConditionalOnClass(Latchkey.class)
@EnableConfigurationProperties(LatchkeyProperties.class)
public class LatchkeyAutoConfiguration {
  private static final Logger log = LoggerFactory.getLogger(LatchkeyAutoConfiguration.class);

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean
  Latchkey latchkey(TokenStore store, PepperKeyset peppers, LatchkeyProperties properties,
      ObjectProvider<VerificationListener> listeners, ObjectProvider<LatchkeyBuilderCustomizer> customizers) {
    Latchkey.Builder builder = Latchkey.builder().store(store).peppers(peppers);
    apply(properties, builder);
    List<VerificationListener> all = listeners.orderedStream().toList();
    if (all.size() == 1) {
      builder.verificationListener(all.get(0));
    } else if (!all.isEmpty()) {
      builder.verificationListener(new CompositeListener(all));
    }
    customizers.orderedStream().forEach(c -> c.customize(builder));
    return builder.build();
  }

  /** Applies every property that is set, naming the property in any error. */
  static void apply(LatchkeyProperties p, Latchkey.Builder b) {
    set("latchkey.token-prefix", p.getTokenPrefix(), b::tokenPrefix);
    set("latchkey.staleness-bound", p.getStalenessBound(), b::stalenessBound);
    set("latchkey.change-feed-retention", p.getChangeFeedRetention(), b::changeFeedRetention);
    set("latchkey.cache.maximum-size", p.getCache().getMaximumSize(), b::cacheMaximumSize);
    set("latchkey.cache.negative-maximum-size", p.getCache().getNegativeMaximumSize(), b::negativeCacheMaximumSize);
    set("latchkey.cache.negative-ttl", p.getCache().getNegativeTtl(), b::negativeCacheTtl);
    set("latchkey.cache.max-entry-age", p.getCache().getMaxEntryAge(), b::maxCacheEntryAge);
    set("latchkey.last-used.flush-interval", p.getLastUsed().getFlushInterval(), b::lastUsedFlushInterval);
    set("latchkey.last-used.batch-size", p.getLastUsed().getBatchSize(), b::lastUsedBatchSize);
    LatchkeyProperties.Limits l = p.getLimits();
    Limits[] limits = {Limits.defaults()};
    set("latchkey.limits.max-api-keys-per-principal", l.getMaxApiKeysPerPrincipal(),
        n -> limits[0] = limits[0].withMaxApiKeysPerPrincipal(n));
    set("latchkey.limits.max-tokens-per-api-key", l.getMaxTokensPerApiKey(),
        n -> limits[0] = limits[0].withMaxTokensPerApiKey(n));
    set("latchkey.limits.max-rotation-grace", l.getMaxRotationGrace(),
        d -> limits[0] = limits[0].withMaxRotationGrace(d));
    // A maximum below the default lifetime lowers the default with it, unless the default is set too.
    Duration max = l.getMaxTokenLifetime();
    Duration defaultLifetime = l.getDefaultTokenLifetime();
    if (max != null && defaultLifetime == null && limits[0].defaultTokenLifetime().compareTo(max) > 0) {
      set("latchkey.limits.max-token-lifetime", max, d -> limits[0] = limits[0].withDefaultTokenLifetime(d));
    }
    if (max != null && defaultLifetime != null && defaultLifetime.compareTo(limits[0].defaultTokenLifetime()) < 0) {
      set("latchkey.limits.default-token-lifetime", defaultLifetime,
          d -> limits[0] = limits[0].withDefaultTokenLifetime(d));
      defaultLifetime = null;
    }
    set("latchkey.limits.max-token-lifetime", max, d -> limits[0] = limits[0].withMaxTokenLifetime(d));
    set("latchkey.limits.default-token-lifetime", defaultLifetime,
        d -> limits[0] = limits[0].withDefaultTokenLifetime(d));
    b.limits(limits[0]);
  }

  private static <T> void set(String property, T value, Consumer<T> setter) {
    if (value == null) {
      return;
    }
    try {
      setter.accept(value);
    } catch (ConfigurationException e) {
      // the cause's message is repeated here, so the message names the property first
      throw new ConfigurationException(property + ": " + e.getMessage());
    }
  }

  /**
   * The store and the peppers, needed only when the application has no {@link Latchkey} bean of
   * its own. A member class: Spring reads it before the bean methods above, so the condition sees
   * only the application's beans.
   */
  @Configuration(proxyBeanMethods = false)
  @ConditionalOnMissingBean(Latchkey.class)
  static class StoreConfiguration {
    @Bean
    @ConditionalOnMissingBean
    PepperKeyset latchkeyPeppers(LatchkeyProperties properties, Environment environment) {
      return PepperSource.load(properties, environment);
    }

    /**
     * The store: a {@link JdbcTokenStore} on the application's one {@link DataSource} (or its primary
     * one), else a {@link MemoryTokenStore}. One method rather than two conditional ones, so that the
     * choice cannot depend on the order in which configuration classes are read.
     */
    @Bean
    @ConditionalOnMissingBean
    TokenStore latchkeyTokenStore(ObjectProvider<DataSource> dataSources, LatchkeyProperties properties) {
      DataSource dataSource = dataSources.getIfUnique();
      if (dataSource == null) {
        log.warn("Latchkey uses an in-memory token store because the application has no single DataSource:"
            + " every token vanishes when the application stops. Add a DataSource (for example"
            + " spring-boot-starter-jdbc with H2 or PostgreSQL), mark one @Primary, or define a TokenStore bean.");
        return new MemoryTokenStore();
      }
      switch (properties.getSchema()) {
        case MIGRATE -> log.info("Latchkey schema at version {}", JdbcSchema.migrate(dataSource));
        case VALIDATE -> log.info("Latchkey schema at version {} (validated)", JdbcSchema.validate(dataSource));
        case NONE -> { }
      }
      return JdbcTokenStore.builder(dataSource).build();
    }
  }

  /** Several listeners, each called in order; one that throws does not stop the others. */
  private record CompositeListener(List<VerificationListener> listeners) implements VerificationListener {
    @Override
    public void onResult(VerificationResult result) {
      for (VerificationListener l : listeners) {
        try {
          l.onResult(result);
        } catch (RuntimeException ignored) {
          // a metrics hook must not break verification or the other hooks
        }
      }
    }

    @Override
    public void onCacheHit() {
      for (VerificationListener l : listeners) {
        try {
          l.onCacheHit();
        } catch (RuntimeException ignored) {
          // as above
        }
      }
    }

    @Override
    public void onCacheMiss() {
      for (VerificationListener l : listeners) {
        try {
          l.onCacheMiss();
        } catch (RuntimeException ignored) {
          // as above
        }
      }
    }

    @Override
    public void onStoreError(RuntimeException error) {
      for (VerificationListener l : listeners) {
        try {
          l.onStoreError(error);
        } catch (RuntimeException ignored) {
          // as above
        }
      }
    }

    @Override
    public void onStoreLookup(long nanos) {
      for (VerificationListener l : listeners) {
        try {
          l.onStoreLookup(nanos);
        } catch (RuntimeException ignored) {
          // as above
        }
      }
    }
  }

}
