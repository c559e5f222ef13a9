package dev.latchkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpRangeTest {

  private static boolean in(String range, String address) {
    return IpRange.parse(range).contains(IpAddress.parse(address));
  }

  @Test
  void ipv4Ranges() {
    assertThat(in("10.0.0.0/8", "10.255.1.2")).isTrue();
    assertThat(in("10.0.0.0/8", "11.0.0.0")).isFalse();
    assertThat(in("10.0.0.0/8", "9.255.255.255")).isFalse();
    assertThat(in("192.168.1.0/24", "192.168.1.255")).isTrue();
    assertThat(in("192.168.1.0/24", "192.168.2.0")).isFalse();
    assertThat(in("0.0.0.0/0", "203.0.113.9")).isTrue();
    assertThat(in("203.0.113.9", "203.0.113.9")).isTrue();
    assertThat(in("203.0.113.9", "203.0.113.8")).isFalse();
    assertThat(in("203.0.113.8/31", "203.0.113.9")).isTrue();
    assertThat(in("10.0.0.0/8", "::ffff:10.9.9.9")).as("IPv4-mapped client address").isTrue();
  }

  @Test
  void ipv6Ranges() {
    assertThat(in("2001:db8::/32", "2001:db8:ffff::1")).isTrue();
    assertThat(in("2001:db8::/32", "2001:db9::")).isFalse();
    assertThat(in("2001:db8::/64", "2001:db8::ffff:ffff:ffff:ffff")).isTrue();
    assertThat(in("2001:db8::/64", "2001:db8:0:1::")).isFalse();
    assertThat(in("2001:db8::ff00/120", "2001:db8::ffff")).isTrue();
    assertThat(in("2001:db8::ff00/120", "2001:db8::1ff")).isFalse();
    assertThat(in("::/0", "::1")).isTrue();
    assertThat(in("::1", "::1")).isTrue();
    assertThat(in("2001:db8::/65", "2001:db8::8000:0:0:0")).isFalse();
    assertThat(in("2001:db8::/65", "2001:db8::7fff:0:0:0")).isTrue();
  }

  @Test
  void familiesNeverMix() {
    assertThat(in("0.0.0.0/0", "::1")).isFalse();
    assertThat(in("::/0", "10.0.0.1")).isFalse();
  }

  @Test
  void canonicalTextAndContainment() {
    assertThat(IpRange.parse("10.0.0.0/8").toString()).isEqualTo("10.0.0.0/8");
    assertThat(IpRange.parse("192.0.2.7").toString()).isEqualTo("192.0.2.7/32");
    assertThat(IpRange.parse("2001:DB8:0::/48").toString()).isEqualTo("2001:db8::/48");
    assertThat(IpRange.parse("10.0.0.0/8").contains(IpRange.parse("10.1.0.0/16"))).isTrue();
    assertThat(IpRange.parse("10.1.0.0/16").contains(IpRange.parse("10.0.0.0/8"))).isFalse();
    assertThat(IpRange.parse("10.0.0.0/8").contains(IpRange.parse("11.0.0.0/16"))).isFalse();
    assertThat(IpRange.parse("10.0.0.0/8")).isEqualTo(IpRange.parse("10.0.0.0/8"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.1/8", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/08", "10.0.0.0/-1", "10.0.0.0/8/8",
      "2001:db8::1/32", "::/129", "::ffff:10.0.0.0/104", "/8", "example.com/24", "10.0.0.0/ 8", "10.0.0.0/1e1"})
  void refusesBadRanges(String text) {
    assertThatThrownBy(() -> IpRange.parse(text)).as(text).isInstanceOf(InvalidArgumentException.class);
  }

  @Test
  void aRangeWithHostBitsSaysWhatWasMeant() {
    assertThatThrownBy(() -> IpRange.parse("10.1.2.3/8")).hasMessageContaining("did you mean 10.0.0.0/8?");
  }
}
