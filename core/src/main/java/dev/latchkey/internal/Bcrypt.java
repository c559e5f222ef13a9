package dev.latchkey.internal;

import dev.latchkey.ConfigurationException;
import java.util.concurrent.Semaphore;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * bcrypt checks of imported legacy credentials, through Bouncy Castle (an optional dependency,
 * loaded only here). bcrypt costs milliseconds by design, so at most {@code maxConcurrent} checks
 * run at once; beyond that a check fails at once (the verification is rejected) rather than let
 * malformed-but-plausible legacy tokens queue up CPU work. Each token needs bcrypt only until its
 * first successful use, after which it is re-hashed with HMAC.
 */
final class Bcrypt {
  private static final Logger log = LoggerFactory.getLogger(Bcrypt.class);
  static final Pattern HASH = Pattern.compile("\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}");

  /** bcrypt ignores input beyond 72 bytes; longer secrets are refused rather than half-checked. */
  static final int MAX_INPUT_BYTES = 72;

  private final Semaphore permits;
  private volatile boolean missingReported;

  Bcrypt(int maxConcurrent) {
    this.permits = new Semaphore(maxConcurrent);
  }

  static boolean isHash(String s) {
    return s != null && HASH.matcher(s).matches();
  }

  /** Fails with a clear message when Bouncy Castle is not on the class path. */
  static void requireAvailable() {
    try {
      Class.forName("org.bouncycastle.crypto.generators.OpenBSDBCrypt", false, Bcrypt.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new ConfigurationException("importing bcrypt-hashed tokens needs Bouncy Castle on the class path:"
          + " add org.bouncycastle:bcprov-jdk18on");
    }
  }

  /** True when {@code secret} (ASCII in {@code buf}) matches the bcrypt {@code hash}. */
  boolean matches(String hash, byte[] buf, int off, int len) {
    if (!isHash(hash) || len > MAX_INPUT_BYTES) {
      return false; // bcrypt would compare only the first 72 bytes
    }
    if (!permits.tryAcquire()) {
      log.warn("too many concurrent bcrypt checks of legacy tokens; rejecting this one");
      return false;
    }
    char[] secret = new char[len];
    try {
      for (int i = 0; i < len; i++) {
        secret[i] = (char) buf[off + i];
      }
      return BcryptCheck.check(hash, secret);
    } catch (LinkageError e) {
      if (!missingReported) {
        missingReported = true;
        log.error("a stored credential is bcrypt-hashed but Bouncy Castle is missing; add org.bouncycastle:bcprov-jdk18on");
      }
      return false;
    } finally {
      java.util.Arrays.fill(secret, '\0');
      permits.release();
    }
  }

  /** Isolates the Bouncy Castle reference so that Latchkey runs without it when nothing is imported. */
  private static final class BcryptCheck {
    static boolean check(String hash, char[] secret) {
      return org.bouncycastle.crypto.generators.OpenBSDBCrypt.checkPassword(hash, secret);
    }
  }
}
