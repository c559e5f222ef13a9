package dev.latchkey;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * Which {@link AuditEvent}s to read from the audit trail ({@link TokenManager#listAuditEvents}).
 * Every filter that is set must match (they are ANDed); an unset filter matches everything. Start
 * from {@link #all()} and narrow:
 *
 * <pre>{@code
 * AuditQuery.all().principal(PrincipalRef.serviceAccount("acme", "ci")).since(yesterday)
 * }</pre>
 *
 * A narrower subject implies the wider ones: a token filter sets its key, principal and account; the
 * filters set must agree (a token of another key is an {@link InvalidArgumentException}).
 *
 * @param accountId events in this account
 * @param principal events on this principal or on any of its keys and tokens (by the event's
 *     target, not its actor)
 * @param apiKey events on this key or any of its tokens
 * @param token events on this token
 * @param since events at or after this instant
 * @param until events before this instant
 */
public record AuditQuery(
    @Nullable String accountId,
    @Nullable PrincipalRef principal,
    @Nullable ApiKeyRef apiKey,
    @Nullable TokenRef token,
    @Nullable Instant since,
    @Nullable Instant until) {

  private static final AuditQuery ALL = new AuditQuery(null, null, null, null, null, null);

  public AuditQuery {
    if (token != null) {
      apiKey = agree("token's API key", apiKey, token.apiKey());
    }
    if (apiKey != null) {
      principal = agree("API key's owner", principal, apiKey.owner());
    }
    if (principal != null) {
      accountId = agree("principal's account", accountId, principal.accountId());
    }
    if (accountId != null) {
      Checks.identifier("account id", accountId);
    }
    if (since != null && until != null && !since.isBefore(until)) {
      throw new InvalidArgumentException("'since' must be before 'until'");
    }
  }

  private static <T> T agree(String what, @Nullable T given, T implied) {
    if (given != null && !given.equals(implied)) {
      throw new InvalidArgumentException("audit query filters disagree: the " + what + " is " + implied
          + ", not " + given);
    }
    return implied;
  }

  /** Every event (as far as the reader is allowed to see). */
  public static AuditQuery all() {
    return ALL;
  }

  public AuditQuery account(String id) {
    return new AuditQuery(id, principal, apiKey, token, since, until);
  }

  public AuditQuery principal(PrincipalRef ref) {
    return new AuditQuery(accountId, ref, apiKey, token, since, until);
  }

  public AuditQuery apiKey(ApiKeyRef ref) {
    return new AuditQuery(accountId, principal, ref, token, since, until);
  }

  public AuditQuery token(TokenRef ref) {
    return new AuditQuery(accountId, principal, apiKey, ref, since, until);
  }

  public AuditQuery since(Instant instant) {
    return new AuditQuery(accountId, principal, apiKey, token, instant, until);
  }

  public AuditQuery until(Instant instant) {
    return new AuditQuery(accountId, principal, apiKey, token, since, instant);
  }

  /** Whether {@code event} passes every filter set. Stores without an index use it as is. */
  public boolean matches(AuditEvent event) {
    String target = event.target();
    return (accountId == null || accountId.equals(event.accountId()))
        && (principal == null || within(target, principal.toString()))
        && (apiKey == null || within(target, apiKey.toString()))
        && (token == null || target.equals(token.toString()))
        && (since == null || !event.at().isBefore(since))
        && (until == null || event.at().isBefore(until));
  }

  /** The path itself or anything under it: identifiers contain no '/'. */
  private static boolean within(String target, String path) {
    return target.equals(path) || target.length() > path.length() && target.startsWith(path)
        && target.charAt(path.length()) == '/';
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("AuditQuery[");
    if (token != null) {
      sb.append("token=").append(token);
    } else if (apiKey != null) {
      sb.append("apiKey=").append(apiKey);
    } else if (principal != null) {
      sb.append("principal=").append(principal);
    } else if (accountId != null) {
      sb.append("account=").append(accountId);
    } else {
      sb.append("all");
    }
    if (since != null) {
      sb.append(", since=").append(since);
    }
    if (until != null) {
      sb.append(", until=").append(until);
    }
    return sb.append(']').toString();
  }
}
