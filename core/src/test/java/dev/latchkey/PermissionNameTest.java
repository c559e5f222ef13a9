package dev.latchkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@link Principal#checkPermissionName}: the rule a principal's permissions follow, one name at a time. */
class PermissionNameTest {
  @Test
  void acceptsExactlyTheNamesAPrincipalCanHold() {
    for (String name : new String[] {"a", "deploy", "A_z-0.9:x", "x".repeat(128), "", "x".repeat(129), "a*", "*",
        "a b", "a/b", "é", "a,b", "a=b", "a\tb"}) {
      boolean principalHolds;
      try {
        new Principal(PrincipalRef.user("acme", "u"), "U", "", Scope.account("acme"), Set.of(), Set.of(name), true,
            Instant.EPOCH, 1);
        principalHolds = true;
      } catch (InvalidArgumentException e) {
        principalHolds = false;
      }
      boolean checked;
      try {
        assertThat(Principal.checkPermissionName(name)).isSameAs(name);
        checked = true;
      } catch (InvalidArgumentException e) {
        checked = false;
      }
      assertThat(checked).as("'%s'", name).isEqualTo(principalHolds);
    }
  }

  @Test
  void saysWhatIsWrong() {
    assertThatThrownBy(() -> Principal.checkPermissionName("a*"))
        .isInstanceOf(InvalidArgumentException.class)
        .hasMessage("a permission name may contain only letters, digits and _ . : - (position 1)");
    assertThatThrownBy(() -> Principal.checkPermissionName(null))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("1 to 128 characters");
  }
}
