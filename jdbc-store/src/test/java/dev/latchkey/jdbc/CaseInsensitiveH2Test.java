package dev.latchkey.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.Actor;
import dev.latchkey.AuditListener;
import dev.latchkey.IssuedToken;
import dev.latchkey.Latchkey;
import dev.latchkey.NewApiKey;
import dev.latchkey.NewServiceAccount;
import dev.latchkey.NewToken;
import dev.latchkey.PepperKeyset;
import dev.latchkey.RejectReason;
import dev.latchkey.Rejected;
import dev.latchkey.Scope;
import dev.latchkey.TokenFormat;
import dev.latchkey.Verified;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Set;
import java.util.zip.CRC32;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.Test;

/**
 * End to end on H2 where the lookup-id column compares case-insensitively. A database opened with
 * {@code IGNORECASE=TRUE} is refused before anything is created ({@link SchemaTest}); here the
 * column is made case-insensitive behind a running Latchkey's back, after the start-up check
 * passed. A token whose lookup id has one letter's case flipped (checksum recomputed) must then
 * never verify, before or after the real token is revoked: the store reads back and compares the id
 * it found, and the verifier treats a record whose id is not byte-equal to the requested one as
 * absent.
 */
class CaseInsensitiveH2Test {

  private static String caseVariant(String token, String prefix) {
    int idStart = prefix.length() + 5;
    char[] chars = token.toCharArray();
    for (int i = idStart; i < idStart + TokenFormat.ID_LENGTH; i++) {
      if (Character.isLetter(chars[i])) {
        chars[i] = Character.isUpperCase(chars[i]) ? Character.toLowerCase(chars[i]) : Character.toUpperCase(chars[i]);
        String body = new String(chars, 0, chars.length - TokenFormat.CHECKSUM_LENGTH);
        return body + checksum(body);
      }
    }
    throw new IllegalStateException("no letter in the lookup id");
  }

  /** CRC32 of the body as 6 base62 digits (0-9A-Za-z, most significant first), as TokenFormat documents. */
  private static String checksum(String body) {
    CRC32 crc = new CRC32();
    crc.update(body.getBytes(StandardCharsets.US_ASCII));
    String alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    char[] digits = new char[TokenFormat.CHECKSUM_LENGTH];
    long value = crc.getValue();
    for (int i = digits.length - 1; i >= 0; i--) {
      digits[i] = alphabet.charAt((int) (value % 62));
      value /= 62;
    }
    return new String(digits);
  }

  @Test
  void aCaseVariantOfALookupIdNeverVerifies() throws Exception {
    JdbcDataSource h2 = new JdbcDataSource();
    h2.setURL("jdbc:h2:mem:ignorecase" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
    JdbcSchema.migrate(h2);
    try (Latchkey latchkey = Latchkey.builder().store(JdbcTokenStore.builder(h2).build())
        .peppers(PepperKeyset.generate(new SecureRandom())).tokenPrefix("acme")
        .auditListener(AuditListener.none()).build()) {
      Actor system = Actor.system();
      latchkey.manager().createAccount(system, "acme", "Acme");
      var sa = latchkey.manager().createServiceAccount(system,
          NewServiceAccount.of(Scope.account("acme"), "bot", "Bot").withPermissions(Set.of("deploy")));
      latchkey.manager().createApiKey(system, NewApiKey.of(sa.ref(), "k", "K"));
      IssuedToken t = latchkey.manager().issueToken(system, NewToken.of(sa.ref().apiKey("k"), "t", "T"));
      String variant = caseVariant(t.value().reveal(), "acme");
      try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
        s.execute("ALTER TABLE latchkey_token ALTER COLUMN lookup_id SET DATA TYPE VARCHAR_IGNORECASE(128)");
        try (var rs = s.executeQuery("SELECT COUNT(*) FROM latchkey_token WHERE lookup_id = '"
            + variant.substring(9, 25) + "'")) {
          rs.next();
          assertThat(rs.getInt(1)).as("the column now folds case").isEqualTo(1);
        }
      }

      assertThat(latchkey.verifier().verify(variant)).isEqualTo(Rejected.of(RejectReason.UNKNOWN));
      assertThat(latchkey.verifier().verify(t.value())).isInstanceOf(Verified.class);
      latchkey.manager().revokeToken(system, t.ref());
      assertThat(latchkey.verifier().verify(t.value())).isEqualTo(Rejected.of(RejectReason.REVOKED));
      assertThat(latchkey.verifier().verify(variant)).isInstanceOf(Rejected.class);
    } finally {
      try (Connection c = h2.getConnection(); Statement s = c.createStatement()) {
        s.execute("SHUTDOWN");
      }
    }
  }
}
