package dev.latchkey.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.Actor;
import dev.latchkey.ConfigurationException;
import dev.latchkey.IssuedToken;
import dev.latchkey.Latchkey;
import dev.latchkey.PepperKeyset;
import dev.latchkey.VerificationListener;
import dev.latchkey.Verified;
import dev.latchkey.jdbc.JdbcTokenStore;
import dev.latchkey.memory.MemoryTokenStore;
import dev.latchkey.servlet.HeaderCredentials;
import dev.latchkey.spi.TokenStore;
import dev.latchkey.spring.boot.InvalidPeppersException;
import dev.latchkey.spring.boot.LatchkeyActuatorAutoConfiguration;
import dev.latchkey.spring.boot.LatchkeyAutoConfiguration;
import dev.latchkey.spring.boot.LatchkeyBuilderCustomizer;
import dev.latchkey.spring.boot.LatchkeySanitizingFunction;
import dev.latchkey.spring.boot.actuate.LatchkeyMetricsAutoConfiguration;
import dev.latchkey.spring.boot.actuate.LatchkeyHealthAutoConfiguration;
import dev.latchkey.spring.boot.actuate.LatchkeyHealthIndicator;
import dev.latchkey.spring.boot.actuate.LatchkeyMetrics;
import dev.latchkey.spring.security.LatchkeyAuthorities;
import dev.latchkey.spring.security.LatchkeySecurityAutoConfiguration;
import dev.latchkey.spring.security.reactive.LatchkeyReactiveSecurityAutoConfiguration;
import dev.latchkey.spring.security.reactive.LatchkeyServerSecurity;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** Every condition of the auto-configuration, on {@link ApplicationContextRunner}s. */
@ExtendWith(OutputCaptureExtension.class)
class LatchkeyAutoConfigurationTest {
  private static final AtomicInteger DB = new AtomicInteger();

  private final ApplicationContextRunner runner = new ApplicationContextRunner()
      .withConfiguration(AutoConfigurations.of(LatchkeyAutoConfiguration.class, LatchkeyActuatorAutoConfiguration.class,
          LatchkeyMetricsAutoConfiguration.class, LatchkeyHealthAutoConfiguration.class,
          LatchkeySecurityAutoConfiguration.class,
          LatchkeyReactiveSecurityAutoConfiguration.class));

  private final ApplicationContextRunner withPeppers = runner.withPropertyValues("latchkey.peppers=" + Tokens.PEPPERS);

  private static DataSource h2() {
    JdbcDataSource ds = new JdbcDataSource();
    ds.setURL("jdbc:h2:mem:latchkey_ac_" + DB.incrementAndGet() + ";DB_CLOSE_DELAY=-1");
    return ds;
  }

  @Test
  void withoutADataSourceTheStoreIsInMemoryWithAWarning(CapturedOutput output) {
    withPeppers.run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context).hasSingleBean(Latchkey.class).hasSingleBean(MemoryTokenStore.class);
      assertThat(output).contains("in-memory token store").contains("every token vanishes when the application stops");
      IssuedToken t = Tokens.issue(context.getBean(Latchkey.class), Set.of("read"), Set.of());
      assertThat(context.getBean(Latchkey.class).verifier().verify(t.value())).isInstanceOf(Verified.class);
    });
  }

  @Test
  void aDataSourceGivesTheJdbcStoreWithItsSchemaMigrated(CapturedOutput output) {
    withPeppers.withBean(DataSource.class, LatchkeyAutoConfigurationTest::h2).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context).hasSingleBean(JdbcTokenStore.class).doesNotHaveBean(MemoryTokenStore.class);
      assertThat(output).doesNotContain("in-memory token store");
      IssuedToken t = Tokens.issue(context.getBean(Latchkey.class), Set.of("read"), Set.of());
      assertThat(context.getBean(Latchkey.class).verifier().verify(t.value())).isInstanceOf(Verified.class);
    });
  }

  @Test
  void schemaValidateFailsStartupOnAnEmptyDatabaseAndNoneTouchesNothing() {
    withPeppers.withBean(DataSource.class, LatchkeyAutoConfigurationTest::h2)
        .withPropertyValues("latchkey.schema=validate")
        .run(context -> assertThat(context).getFailure().rootCause()
            .hasMessageContaining("the Latchkey schema is at version 0")
            .hasMessageContaining("db/latchkey/h2"));
    withPeppers.withBean(DataSource.class, LatchkeyAutoConfigurationTest::h2)
        .withPropertyValues("latchkey.schema=none")
        .run(context -> assertThat(context).getFailure().rootCause()
            .as("no tables: the first store call fails").isNotNull());
  }

  @Test
  void aUserTokenStoreWins() {
    MemoryTokenStore mine = new MemoryTokenStore();
    withPeppers.withBean(DataSource.class, LatchkeyAutoConfigurationTest::h2)
        .withBean(TokenStore.class, () -> mine)
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context.getBean(TokenStore.class)).isSameAs(mine);
          assertThat(context).doesNotHaveBean(JdbcTokenStore.class);
        });
  }

  @Test
  void aUserLatchkeyWinsAndNeedsNoPepperProperty(CapturedOutput output) {
    runner.withBean(Latchkey.class, () -> Latchkey.builder().store(new MemoryTokenStore())
            .peppers(PepperKeyset.generate(new SecureRandom())).build())
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context).hasSingleBean(Latchkey.class).doesNotHaveBean(PepperKeyset.class)
              .doesNotHaveBean(TokenStore.class);
          assertThat(context).hasSingleBean(LatchkeyHealthIndicator.class);
        });
    assertThat(output).doesNotContain("in-memory token store");
  }

  @Test
  void aUserPepperKeysetWins() {
    PepperKeyset mine = PepperKeyset.generate(new SecureRandom());
    runner.withBean(PepperKeyset.class, () -> mine).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(PepperKeyset.class)).isSameAs(mine);
    });
  }

  @Test
  void missingPeppersFailStartupSayingWhatToSetAndHowToGenerateIt() {
    runner.run(context -> assertThat(context).getFailure().rootCause()
        .isInstanceOf(InvalidPeppersException.class)
        .hasMessageContaining("no pepper keyset is configured")
        .hasMessageContaining("latchkey.peppers")
        .hasMessageContaining("LATCHKEY_PEPPERS")
        .hasMessageContaining("latchkey peppers generate"));
  }

  @Test
  void malformedPeppersFailStartupWithoutEchoingThem() {
    String tooShort = "1:" + java.util.Base64.getEncoder().encodeToString(new byte[16]);
    String notBase64 = "1:this-is-not-base64!!";
    for (String bad : new String[] {tooShort, notBase64, "one:AAAA", "   "}) {
      runner.withPropertyValues("latchkey.peppers=" + bad).run(context -> {
        Throwable failure = context.getStartupFailure();
        assertThat(failure).as(bad).isNotNull();
        Throwable root = rootCause(failure);
        assertThat(root).isInstanceOf(InvalidPeppersException.class)
            .hasMessageContaining("latchkey.peppers")
            .hasMessageContaining("latchkey peppers generate");
        if (!bad.isBlank()) {
          assertThat(root.getMessage()).doesNotContain(bad.substring(2));
        }
      });
    }
  }

  @Test
  void twoPepperSourcesAreRefused() {
    runner.withPropertyValues("latchkey.peppers=" + Tokens.PEPPERS, "latchkey.peppers-env=SOME_VAR")
        .run(context -> assertThat(context).getFailure().rootCause()
            .hasMessageContaining("set exactly one"));
  }

  @Test
  void peppersFromAFileOrANamedVariable(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("peppers");
    Files.writeString(file, Tokens.PEPPERS + "\n");
    runner.withPropertyValues("latchkey.peppers-file=" + file).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(PepperKeyset.class).export()).isEqualTo(Tokens.PEPPERS);
    });
    runner.withPropertyValues("latchkey.peppers-file=" + dir.resolve("missing")).run(context ->
        assertThat(context).getFailure().rootCause().hasMessageContaining("cannot be read"));
    runner.withPropertyValues("latchkey.peppers-env=MY_PEPPERS", "MY_PEPPERS=" + Tokens.PEPPERS).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context.getBean(PepperKeyset.class).export()).isEqualTo(Tokens.PEPPERS);
    });
    runner.withPropertyValues("latchkey.peppers-env=UNSET_LATCHKEY_PEPPERS").run(context ->
        assertThat(context).getFailure().rootCause().hasMessageContaining("UNSET_LATCHKEY_PEPPERS, which is not set"));
  }

  @Test
  void propertiesBindIntoTheBuilder() {
    withPeppers.withPropertyValues("latchkey.token-prefix=acme", "latchkey.staleness-bound=250ms",
            "latchkey.limits.max-token-lifetime=30d", "latchkey.cache.maximum-size=10")
        .run(context -> {
          assertThat(context).hasNotFailed();
          Latchkey latchkey = context.getBean(Latchkey.class);
          assertThat(latchkey.format().prefix()).isEqualTo("acme");
          assertThat(latchkey.stalenessBound()).isEqualTo(Duration.ofMillis(250));
          IssuedToken t = Tokens.issue(latchkey, Set.of("read"), Set.of());
          var token = latchkey.manager().getToken(Actor.system(), t.ref());
          assertThat(Duration.between(token.createdAt(), Objects.requireNonNull(token.expiresAt())))
              .isLessThanOrEqualTo(Duration.ofDays(30));
        });
  }

  @Test
  void badPropertyValuesFailStartupNamingTheProperty() {
    withPeppers.withPropertyValues("latchkey.token-prefix=Not_Valid").run(context ->
        assertThat(context).getFailure().rootCause().isInstanceOf(ConfigurationException.class)
            .hasMessageStartingWith("latchkey.token-prefix: "));
    withPeppers.withPropertyValues("latchkey.cache.maximum-size=0").run(context ->
        assertThat(context).getFailure().rootCause().hasMessageStartingWith("latchkey.cache.maximum-size: "));
    withPeppers.withPropertyValues("latchkey.staleness-bound=0s").run(context ->
        assertThat(context).getFailure().rootCause().hasMessageStartingWith("latchkey.staleness-bound: "));
    withPeppers.withPropertyValues("latchkey.schema=sometimes").run(context ->
        assertThat(context).hasFailed());
    withPeppers.withPropertyValues("latchkey.security.bearer=false").run(context ->
        assertThat(context).getFailure().rootCause().hasMessageContaining("latchkey.security.api-key-header"));
  }

  @Test
  void customizersAndListenersReachTheBuilder() {
    AtomicInteger results = new AtomicInteger();
    VerificationListener counting = new VerificationListener() {
      @Override
      public void onResult(dev.latchkey.VerificationResult result) {
        results.incrementAndGet();
      }
    };
    withPeppers.withBean(VerificationListener.class, () -> counting)
        .withBean(LatchkeyBuilderCustomizer.class, () -> b -> b.tokenPrefix("custom"))
        .run(context -> {
          Latchkey latchkey = context.getBean(Latchkey.class);
          assertThat(latchkey.format().prefix()).isEqualTo("custom");
          latchkey.verifier().verify("nonsense");
          assertThat(results.get()).isEqualTo(1);
        });
  }

  @Test
  void theLatchkeyBeanIsClosedWithTheContext() {
    MemoryTokenStore store = new MemoryTokenStore();
    IssuedToken[] issued = new IssuedToken[1];
    withPeppers.withBean(TokenStore.class, () -> store)
        .withPropertyValues("latchkey.last-used.flush-interval=1h")
        .run(context -> {
          Latchkey latchkey = context.getBean(Latchkey.class);
          issued[0] = Tokens.issue(latchkey, Set.of("read"), Set.of());
          latchkey.verifier().verify(issued[0].value());
          assertThat(latchkey.stats().lastUsedPending()).isEqualTo(1);
          assertThat(store.findToken(issued[0].ref()).orElseThrow().token().lastUsedAt()).isNull();
        });
    // close() flushed the pending last-used time on the way out
    assertThat(store.findToken(issued[0].ref()).orElseThrow().token().lastUsedAt()).isNotNull();
  }

  @Test
  void securityBeansFollowTheirPropertiesAndBackOff() {
    withPeppers.withPropertyValues("latchkey.security.api-key-header=X-Api-Key", "latchkey.security.role-prefix=R_")
        .run(context -> {
          assertThat(context.getBean(HeaderCredentials.class).apiKeyHeader()).isEqualTo("X-Api-Key");
          assertThat(context.getBean(LatchkeyAuthorities.class).rolePrefix()).isEqualTo("R_");
          assertThat(context).doesNotHaveBean(LatchkeyServerSecurity.class);
        });
    LatchkeyAuthorities mine = new LatchkeyAuthorities("");
    withPeppers.withBean(LatchkeyAuthorities.class, () -> mine).run(context ->
        assertThat(context.getBean(LatchkeyAuthorities.class)).isSameAs(mine));
    // no bean of Spring Security's own types: Spring Security would pick them up for other chains and logins
    withPeppers.run(context -> {
      assertThat(context).doesNotHaveBean(org.springframework.security.authentication.AuthenticationProvider.class)
          .doesNotHaveBean(org.springframework.security.authentication.ReactiveAuthenticationManager.class)
          .doesNotHaveBean(org.springframework.security.web.authentication.AuthenticationConverter.class)
          .doesNotHaveBean(org.springframework.security.web.server.authentication.ServerAuthenticationConverter.class);
    });
  }

  @Test
  void theReactivePartIsThereInAReactiveApplicationOnly() {
    new ReactiveWebApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(LatchkeyAutoConfiguration.class,
            LatchkeySecurityAutoConfiguration.class, LatchkeyReactiveSecurityAutoConfiguration.class))
        .withPropertyValues("latchkey.peppers=" + Tokens.PEPPERS)
        .run(context -> {
          assertThat(context).hasNotFailed();
          assertThat(context).hasSingleBean(LatchkeyServerSecurity.class);
        });
  }

  @Test
  void metricsAndHealthNeedTheirLibraries() {
    withPeppers.run(context -> {
      assertThat(context).hasSingleBean(LatchkeyMetrics.class).hasSingleBean(LatchkeyHealthIndicator.class)
          .hasSingleBean(LatchkeySanitizingFunction.class);
    });
    withPeppers.withClassLoader(new FilteredClassLoader(MeterBinder.class)).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context).doesNotHaveBean(LatchkeyMetrics.class);
    });
    withPeppers.withPropertyValues("management.health.latchkey.enabled=false").run(context ->
        assertThat(context).doesNotHaveBean(LatchkeyHealthIndicator.class));
  }

  @Test
  void withoutSpringSecurityTheCoreBeansStillStart() {
    withPeppers.withClassLoader(new FilteredClassLoader("org.springframework.security")).run(context -> {
      assertThat(context).hasNotFailed();
      assertThat(context).hasSingleBean(Latchkey.class).doesNotHaveBean(LatchkeyAuthorities.class);
    });
  }

  private static Throwable rootCause(Throwable t) {
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }
}
