package dev.latchkey.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** A real application started without peppers: Spring Boot's failure report says what to do. */
@ExtendWith(OutputCaptureExtension.class)
class PeppersFailureAnalysisTest {
  @SpringBootConfiguration
  @EnableAutoConfiguration
  static class App {}

  @Test
  void startingWithoutPeppersReportsThePropertyAndTheCommand(CapturedOutput output) {
    assertThatThrownBy(() -> new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
        .properties("spring.datasource.url=jdbc:h2:mem:nopeppers;DB_CLOSE_DELAY=-1").run())
        .isNotNull();
    assertThat(output).contains("APPLICATION FAILED TO START")
        .contains("Latchkey has no usable pepper keyset: no pepper keyset is configured")
        .contains("Action:")
        .contains("Set latchkey.peppers (or the environment variable LATCHKEY_PEPPERS)")
        .contains("latchkey peppers generate");
  }

  @Test
  void aMalformedKeysetIsReportedWithoutItsValue(CapturedOutput output) {
    String bad = "1:c2hvcnQ=";
    assertThatThrownBy(() -> new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
        .properties("spring.datasource.url=jdbc:h2:mem:badpeppers;DB_CLOSE_DELAY=-1", "latchkey.peppers=" + bad)
        .run())
        .isNotNull();
    assertThat(output).contains("latchkey.peppers is not a valid pepper keyset: pepper version 1 must be 32 to 64 bytes")
        .doesNotContain("c2hvcnQ=");
  }
}
