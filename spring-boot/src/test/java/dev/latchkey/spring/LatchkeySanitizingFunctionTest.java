package dev.latchkey.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.spring.boot.LatchkeySanitizingFunction;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.core.env.MapPropertySource;

/** Every spelling of the pepper properties is masked; other properties are left alone. */
class LatchkeySanitizingFunctionTest {
  private final LatchkeySanitizingFunction function = new LatchkeySanitizingFunction("MY_PEPPERS");
  private final MapPropertySource source = new MapPropertySource("test", Map.of());

  private Object shown(String key) {
    return function.apply(new SanitizableData(source, key, "1:secret")).getValue();
  }

  @Test
  void pepperKeysInEveryFormAreMasked() {
    for (String key : new String[] {"latchkey.peppers", "LATCHKEY_PEPPERS", "latchkey.peppers-file",
        "LATCHKEY_PEPPERS_FILE", "latchkey.peppersFile", "latchkey.peppers-env", "peppers", "peppersFile",
        "MY_PEPPERS", "spring.application.json.latchkey.peppers"}) {
      assertThat(shown(key)).as(key).isEqualTo(SanitizableData.SANITIZED_VALUE);
    }
  }

  @Test
  void otherKeysAreShown() {
    for (String key : new String[] {"latchkey.token-prefix", "latchkey.security.api-key-header", "spring.datasource.url",
        "MY_PEPPERS_BACKUP_NOTE", "peppermint"}) {
      assertThat(shown(key)).as(key).isEqualTo("1:secret");
    }
  }
}
