package dev.latchkey.spring.boot;

import java.util.Locale;
import org.springframework.boot.actuate.endpoint.SanitizableData;
import org.springframework.boot.actuate.endpoint.SanitizingFunction;

/**
 * Masks the pepper keyset in Actuator's {@code env} and {@code configprops} endpoints whatever
 * their {@code show-values} setting: {@code latchkey.peppers}, {@code latchkey.peppers-file} and
 * {@code latchkey.peppers-env} in every spelling relaxed binding accepts ({@code LATCHKEY_PEPPERS},
 * {@code latchkey.peppersFile}, ...), the bound {@link LatchkeyProperties} fields, and the
 * environment variable that {@code latchkey.peppers-env} names.
 */
public final class LatchkeySanitizingFunction implements SanitizingFunction {
  private final String peppersEnv;

  /** @param peppersEnv the name configured in {@code latchkey.peppers-env}, or null */
  public LatchkeySanitizingFunction(String peppersEnv) {
    this.peppersEnv = peppersEnv == null || peppersEnv.isBlank() ? null : peppersEnv;
  }

  @Override
  public SanitizableData apply(SanitizableData data) {
    return isPepperKey(data.getKey()) ? data.withSanitizedValue() : data;
  }

  boolean isPepperKey(String key) {
    if (key == null) {
      return false;
    }
    if (peppersEnv != null && key.equals(peppersEnv)) {
      return true;
    }
    // relaxed forms: LATCHKEY_PEPPERS_FILE, latchkey.peppers-file, latchkey.peppersFile, latchkey[peppers]
    String k = key.toLowerCase(Locale.ROOT).replace("_", ".").replace("-", "").replace("[", ".").replace("]", "");
    return k.equals("peppers") || k.startsWith("peppers") && k.length() <= "peppersfile".length()
        || k.contains("latchkey.peppers");
  }
}
