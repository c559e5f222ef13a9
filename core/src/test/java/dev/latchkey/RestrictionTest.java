package dev.latchkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RestrictionTest {

  @Test
  void noneRestrictsNothing() {
    assertThat(Restriction.NONE.isNone()).isTrue();
    assertThat(Restriction.NONE.allows(null)).isTrue();
    assertThat(Restriction.NONE.narrowPermissions(Set.of("a", "b"))).containsExactlyInAnyOrder("a", "b");
    assertThat(Restriction.NONE.toString()).isEqualTo("none");
  }

  @Test
  void narrowsToTheNamesInBoth() {
    Restriction r = Restriction.permissions("read", "write");
    assertThat(r.narrowPermissions(Set.of("read", "deploy"))).containsExactly("read");
    assertThat(r.narrowRoles(Set.of("admin"))).containsExactly("admin"); // roles unrestricted
    Restriction none = Restriction.NONE.withPermissions(Set.of());
    assertThat(none.narrowPermissions(Set.of("read"))).isEmpty();
    assertThat(none.isNone()).isFalse();
  }

  @Test
  void addressAllowList() {
    Restriction r = Restriction.from("10.0.0.0/8", "2001:db8::/32");
    assertThat(r.allows(IpAddress.parse("10.2.3.4"))).isTrue();
    assertThat(r.allows(IpAddress.parse("2001:db8::5"))).isTrue();
    assertThat(r.allows(IpAddress.parse("11.0.0.1"))).isFalse();
    assertThat(r.allows(null)).as("no address known").isFalse();
    assertThat(r.toString()).isEqualTo("permissions=* roles=* from=[10.0.0.0/8, 2001:db8::/32]");
  }

  @Test
  void atMostSixteenRanges() {
    List<String> ranges = new ArrayList<>();
    for (int i = 0; i < Restriction.MAX_ALLOWED_ADDRESSES; i++) {
      ranges.add("10." + i + ".0.0/16");
    }
    assertThat(Restriction.from(ranges.toArray(String[]::new)).allowedAddresses()).hasSize(16);
    ranges.add("192.0.2.0/24");
    assertThatThrownBy(() -> Restriction.from(ranges.toArray(String[]::new)))
        .isInstanceOf(InvalidArgumentException.class).hasMessageContaining("at most 16");
  }

  @Test
  void namesFollowThePermissionRulesAndWildcardsAreJustNames() {
    assertThatThrownBy(() -> Restriction.permissions("read write")).isInstanceOf(InvalidArgumentException.class);
    // "deploy.*" is not a pattern: it narrows "deploy.prod" away
    assertThatThrownBy(() -> Restriction.permissions("deploy.*")).isInstanceOf(InvalidArgumentException.class);
    assertThat(Restriction.permissions("deploy.prod").narrowPermissions(Set.of("deploy.prod", "deploy.dev")))
        .containsExactly("deploy.prod");
  }

  @Test
  void withinIsNarrowing() {
    Restriction rw = Restriction.permissions("read", "write");
    Restriction r = Restriction.permissions("read");
    assertThat(r.isWithin(rw)).isTrue();
    assertThat(rw.isWithin(r)).isFalse();
    assertThat(r.isWithin(Restriction.NONE)).isTrue();
    assertThat(Restriction.NONE.isWithin(r)).as("lifting a restriction widens").isFalse();
    assertThat(Restriction.from("10.1.0.0/16").isWithin(Restriction.from("10.0.0.0/8"))).isTrue();
    assertThat(Restriction.from("10.0.0.0/8").isWithin(Restriction.from("10.1.0.0/16"))).isFalse();
    assertThat(Restriction.NONE.isWithin(Restriction.from("10.0.0.0/8"))).as("anywhere is wider").isFalse();
    assertThat(Restriction.from("10.0.0.0/8").isWithin(Restriction.NONE)).isTrue();
    assertThat(r.withRoles(Set.of("a")).isWithin(r)).isTrue();
    assertThat(r.isWithin(r.withRoles(Set.of("a")))).isFalse();
  }

  @Test
  void duplicatesCollapse() {
    assertThat(Restriction.from("10.0.0.0/8", "10.0.0.0/8").allowedAddresses()).hasSize(1);
  }
}
