package dev.latchkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.SecureRandom;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class PepperKeysetTest {
  private static String key(int fill, int length) {
    byte[] k = new byte[length];
    java.util.Arrays.fill(k, (byte) fill);
    return Base64.getEncoder().encodeToString(k);
  }

  @Test
  void primaryIsTheHighestVersionUnlessMarked() {
    PepperKeyset k = PepperKeyset.parse("1:" + key(1, 32) + ", 3:" + key(3, 32) + "\n2:" + key(2, 40));
    assertThat(k.primaryVersion()).isEqualTo(3);
    assertThat(k.versions()).containsExactly(1, 2, 3);
    PepperKeyset marked = PepperKeyset.parse("1*:" + key(1, 32) + " 2:" + key(2, 32));
    assertThat(marked.primaryVersion()).isEqualTo(1);
    assertThat(PepperKeyset.parse(marked.export()).primaryVersion()).isEqualTo(1);
  }

  @Test
  void neverPrintsKeyMaterial() {
    PepperKeyset k = PepperKeyset.parse("7:" + key(0x41, 32));
    assertThat(k.toString()).isEqualTo("PepperKeyset[versions=[7], primary=7]").doesNotContain(key(0x41, 32));
  }

  @Test
  void rejectsBadSpecsWithMessagesThatDoNotQuoteKeys() {
    String secretish = key(9, 32);
    String[] bad = {"", "   ", "1", "x:" + secretish, "1:not base64!", "1:" + key(1, 16), "1:" + key(1, 65),
      "0:" + secretish, "70000:" + secretish, "1:" + secretish + ",1:" + secretish,
      "1*:" + secretish + ",2*:" + key(2, 32)};
    for (String spec : bad) {
      assertThatThrownBy(() -> PepperKeyset.parse(spec))
          .isInstanceOf(ConfigurationException.class)
          .satisfies(e -> assertThat(e.getMessage()).doesNotContain(secretish));
    }
  }

  @Test
  void rotationHelpers() {
    PepperKeyset k = PepperKeyset.generate(new SecureRandom());
    PepperKeyset rotated = k.withPrimary(2, new byte[32]);
    assertThat(rotated.primaryVersion()).isEqualTo(2);
    assertThat(rotated.versions()).containsExactly(1, 2);
    assertThat(rotated.without(1).versions()).containsExactly(2);
    assertThatThrownBy(() -> rotated.without(2)).isInstanceOf(ConfigurationException.class);
    byte[] material = k.keyMaterial(1, PepperAccess.LATCHKEY);
    material[0] ^= 1;
    assertThat(k.keyMaterial(1, PepperAccess.LATCHKEY)).as("callers get copies").isNotEqualTo(material);
  }
}
