package dev.latchkey;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives expiry notices ({@link TokenExpiring}); the application implements it to mail or chat
 * the token's owner. Called on the background thread that runs the notice job, at most once per
 * token, threshold and expiry across every node sharing the store. The notice is recorded as sent
 * before the listener runs: a listener that throws is logged and not called again for that notice
 * (at most once, not at least once).
 */
@FunctionalInterface
public interface ExpiryListener {
  void onTokenExpiring(TokenExpiring notice);

  /** Logs each notice at INFO to the logger {@code dev.latchkey.expiry}: ids and times only. */
  static ExpiryListener slf4j() {
    Logger log = LoggerFactory.getLogger("dev.latchkey.expiry");
    return n -> log.info("token expiring token={} lookupId={} expiresAt={} threshold={}",
        n.token(), n.lookupId(), n.expiresAt(), n.threshold());
  }
}
