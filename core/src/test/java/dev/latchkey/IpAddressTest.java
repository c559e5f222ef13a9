package dev.latchkey;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Address literals: what parses, to what canonical text, and what is refused without any lookup. */
class IpAddressTest {

  @Test
  void ipv4() {
    assertThat(IpAddress.parse("10.1.2.3").toString()).isEqualTo("10.1.2.3");
    assertThat(IpAddress.parse("0.0.0.0").isIpv4()).isTrue();
    assertThat(IpAddress.parse("255.255.255.255").toString()).isEqualTo("255.255.255.255");
  }

  @Test
  void ipv6AndItsCanonicalText() {
    assertThat(IpAddress.parse("2001:DB8:0:0:0:0:0:1").toString()).isEqualTo("2001:db8::1");
    assertThat(IpAddress.parse("::").toString()).isEqualTo("::");
    assertThat(IpAddress.parse("::1").toString()).isEqualTo("::1");
    assertThat(IpAddress.parse("fe80::").toString()).isEqualTo("fe80::");
    assertThat(IpAddress.parse("1:0:0:2:0:0:0:3").toString()).isEqualTo("1:0:0:2::3"); // the longest zero run
    assertThat(IpAddress.parse("1:2:3:4:5:6:7:8").toString()).isEqualTo("1:2:3:4:5:6:7:8");
    assertThat(IpAddress.parse("1:0:3:4:5:6:7:8").toString()).isEqualTo("1:0:3:4:5:6:7:8"); // one zero group stays
    assertThat(IpAddress.parse("64:ff9b::192.0.2.33").toString()).isEqualTo("64:ff9b::c000:221");
    assertThat(IpAddress.parse("2001:db8::1").isIpv4()).isFalse();
  }

  @Test
  void ipv4MappedIpv6IsTheIpv4Address() {
    IpAddress mapped = IpAddress.parse("::ffff:10.1.2.3");
    assertThat(mapped.isIpv4()).isTrue();
    assertThat(mapped).isEqualTo(IpAddress.parse("10.1.2.3"));
    assertThat(IpAddress.parse("::ffff:a01:203")).isEqualTo(IpAddress.parse("10.1.2.3"));
  }

  @Test
  void agreesWithTheJdkOnLiterals() throws Exception {
    // InetAddress.getByName does not resolve a literal; here it only gives a reference answer
    for (String literal : new String[] {"10.1.2.3", "2001:db8::1", "::", "1:2:3:4:5:6:7:8", "fe80::1:2",
        "::ffff:0:0", "2001:db8:85a3::8a2e:370:7334", "::1.2.3.4"}) {
      byte[] jdk = InetAddress.getByName(literal).getAddress();
      IpAddress ours = IpAddress.parse(literal);
      // the JDK's bytes against our bits (not our parser against itself): 4 bytes for IPv4 and IPv4-mapped
      java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(jdk);
      assertThat(ours.isIpv4()).as(literal).isEqualTo(jdk.length == 4);
      assertThat(ours.high()).as(literal).isEqualTo(jdk.length == 4 ? 0 : bytes.getLong(0));
      assertThat(ours.low()).as(literal).isEqualTo(jdk.length == 4 ? bytes.getInt(0) & 0xFFFF_FFFFL : bytes.getLong(8));
      assertThat(IpAddress.parse(InetAddress.getByAddress(jdk).getHostAddress())).as(literal).isEqualTo(ours);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "10.0.0", "10.0.0.0.1", "256.0.0.1", "010.0.0.1", "1.2.3.4 ", " 1.2.3.4",
      "1.2.3.-4", "1..2.3", "1.2.3.4/8", "[::1]", "::1%eth0", "fe80::1%1", ":::", "1:::2", "1::2::3", ":1::",
      "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "12345::", "g::1", "1:2:3:4:5:6:7:1.2.3.4", "::1.2.3", "1.2.3.4:80",
      "localhost", "example.com", "10.0.0.1.nip.io", "1e1.0.0.1", "０.0.0.1", "::ffff:1.2.3.04",
      "1.2.3.4.", "1:2:3:4:5:6:7:8:", "0x7f.0.0.1", "2130706433"})
  void refusesAnythingButALiteral(String text) {
    assertThat(IpAddress.tryParse(text)).as(text).isNull();
    assertThatThrownBy(() -> IpAddress.parse(text)).isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("not an IPv4 or IPv6 address literal");
  }

  @Test
  void aHostNameIsRefusedNotResolved() throws IOException {
    // "localhost" always resolves through the JDK; the parser refuses it (no lookup would refuse it)
    assertThat(IpAddress.tryParse("localhost")).isNull();
    assertThatThrownBy(() -> IpRange.parse("localhost/32")).isInstanceOf(InvalidArgumentException.class)
        .hasMessageContaining("host names are not resolved");
    // and the parsing classes cannot resolve anything: nothing in them refers to java.net
    for (Class<?> c : new Class<?>[] {IpAddress.class, IpRange.class, Restriction.class, RequestContext.class}) {
      try (InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
        String constants = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        assertThat(constants).as(c.getSimpleName() + "'s class file").doesNotContain("java/net/");
      }
    }
  }

  @Test
  void nullAndHugeInputs() {
    assertThat(IpAddress.tryParse(null)).isNull();
    assertThat(IpAddress.tryParse("1".repeat(10_000))).isNull();
    assertThat(RequestContext.fromAddress("not an address")).isEqualTo(RequestContext.NONE);
    assertThat(RequestContext.fromAddress(null).clientAddress()).isNull();
    assertThat(RequestContext.fromAddress("10.0.0.1").clientAddress()).isEqualTo(IpAddress.parse("10.0.0.1"));
  }
}
