package dev.latchkey.web;

import dev.latchkey.Actor;
import java.util.Objects;

/**
 * Who sent a management request, and how the request proved it. The {@link Actor} goes to every
 * {@link dev.latchkey.TokenManager} call; the {@link Credential} decides whether the request's
 * unsafe methods must pass the CSRF checks (see the module README, "Browser safety").
 *
 * @param actor the principal the request acts as, or {@link Actor#system()}
 * @param credential how the caller was authenticated
 */
public record Caller(Actor actor, Credential credential) {

  /** How a request was authenticated. */
  public enum Credential {
    /**
     * Something a browser attaches to every request on its own: a session cookie, HTTP
     * authentication, a TLS client certificate. Another site can make the browser send it, so every
     * POST, PATCH, PUT and DELETE must come from this origin and carry the session's CSRF token.
     */
    SESSION,
    /**
     * A credential the client put into the request itself, such as an {@code Authorization: Bearer}
     * token. No browser adds one to a request another site makes, so no CSRF check applies.
     */
    BEARER
  }

  public Caller {
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(credential, "credential");
  }

  /** A caller authenticated by credentials the browser sends by itself (cookie, HTTP authentication). */
  public static Caller session(Actor actor) {
    return new Caller(actor, Credential.SESSION);
  }

  /** A caller authenticated by a bearer credential the client added to the request. */
  public static Caller bearer(Actor actor) {
    return new Caller(actor, Credential.BEARER);
  }
}
