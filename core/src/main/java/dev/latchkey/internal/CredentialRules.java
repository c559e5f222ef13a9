package dev.latchkey.internal;

import dev.latchkey.ConfigurationException;
import dev.latchkey.ConflictException;
import dev.latchkey.VersionMismatchException;
import dev.latchkey.InvalidArgumentException;
import dev.latchkey.LegacyToken;
import dev.latchkey.Limits;
import dev.latchkey.Principal;
import dev.latchkey.Restriction;
import dev.latchkey.PrincipalType;
import dev.latchkey.Rotation;
import dev.latchkey.Scope;
import dev.latchkey.Token;
import dev.latchkey.TokenStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The rules of keys and tokens that are not about who may act: where a key lives, how long tokens
 * live, which tokens may be imported or rotated, and how long a rotated-out secret keeps working.
 */
final class CredentialRules {
  private CredentialRules() {}

  /** A user's keys live at account scope, a service account's at the service account's scope. */
  static Scope keyScope(Principal owner, @Nullable Scope requested) {
    Scope allowed = owner.scope();
    Scope scope = requested != null ? requested : allowed;
    if (!scope.equals(allowed)) {
      throw new InvalidArgumentException(owner.ref().type() == PrincipalType.USER
          ? "personal API keys can only be created at account scope (" + allowed + "), not at " + scope
          : "a service account's API keys live at the service account's scope (" + allowed + "), not at " + scope);
    }
    return scope;
  }

  /**
   * The names a narrowing edit from {@code before} to {@code after} gives for the first time: the
   * permissions (roles) of {@code after} where {@code before} did not restrict them. A narrowing
   * cannot add a name to an existing list, so these are the only names to check against the owner's
   * rights; names already listed stay editable after the owner lost them.
   */
  static Restriction newlyNamed(Restriction before, Restriction after) {
    return new Restriction(before.permissions() == null ? after.permissions() : null,
        before.roles() == null ? after.roles() : null, java.util.List.of());
  }

  /**
   * A restriction can only narrow: it may name only permissions and roles the owner holds now and,
   * for a token ({@code keyRestriction} not null), that its key's restriction allows. Refused with
   * {@link InvalidArgumentException} otherwise (the caller was already authorized to act on the
   * owner, so naming what it lacks tells the caller nothing new). Address ranges are not compared:
   * a key's and a token's allow-lists must both admit a client.
   */
  static void requireWithinRights(Restriction r, Principal owner, @Nullable Restriction keyRestriction, String what) {
    requireNames(r.permissions(), owner::hasPermission, keyRestriction == null ? null : keyRestriction.permissions(),
        "permission", owner, what);
    requireNames(r.roles(), owner::hasRole, keyRestriction == null ? null : keyRestriction.roles(), "role", owner,
        what);
  }

  /** Each of {@code named} (null: not restricted) must be held by the owner and allowed by the key (null: all). */
  private static void requireNames(@Nullable Set<String> named, Predicate<String> ownerHolds,
      @Nullable Set<String> keyAllows, String kind, Principal owner, String what) {
    if (named == null) {
      return;
    }
    for (String name : named) {
      if (!ownerHolds.test(name)) {
        throw new InvalidArgumentException(what + "'s restriction can only narrow: " + owner.ref()
            + " does not hold " + kind + " '" + name + "'");
      }
      if (keyAllows != null && !keyAllows.contains(name)) {
        throw new InvalidArgumentException(what + "'s restriction can only narrow: its API key's restriction"
            + " does not allow " + kind + " '" + name + "'");
      }
    }
  }

  static void checkDefaultLifetime(Duration lifetime, Limits limits) {
    Duration max = limits.maxTokenLifetime();
    if (max != null && lifetime.compareTo(max) > 0) {
      throw new InvalidArgumentException("default token lifetime " + Durations.human(lifetime)
          + " exceeds the maximum token lifetime of " + Durations.human(max));
    }
  }

  static void checkGrace(Duration grace, Limits limits) {
    if (grace.compareTo(limits.maxRotationGrace()) > 0) {
      throw new InvalidArgumentException("rotation grace " + Durations.human(grace)
          + " exceeds the maximum of " + Durations.human(limits.maxRotationGrace()));
    }
  }

  /**
   * Refuses an import this instance could not verify afterwards: it must accept legacy tokens, have
   * Bouncy Castle, and the bcrypt cost must be within its ceiling.
   */
  static void requireImportable(LegacyToken legacy, VerificationEngine engine) {
    if (!engine.acceptsLegacyTokens()) {
      throw new ConfigurationException("imported tokens verify only in their legacy form: build Latchkey"
          + " with acceptLegacyTokens(true) before importing");
    }
    Bcrypt.requireAvailable();
    engine.requireImportableBcrypt(legacy.bcryptHash());
  }

  /** Only the version the caller expected, and only an active, unexpired token, is rotated. */
  static void requireRotatable(Token t, Rotation rotation, Instant now) {
    Long expected = rotation.expectedVersion();
    if (expected != null && expected != t.version()) {
      throw new VersionMismatchException("token " + t.ref() + " is at version " + t.version() + ", not "
          + expected
          + " as expected; it was changed since it was read; this rotation did not happen");
    }
    if (t.status() != TokenStatus.ACTIVE) {
      throw new ConflictException("token " + t.ref() + " is revoked and cannot be rotated; issue a new token");
    }
    if (t.isExpiredAt(now)) {
      throw new ConflictException("token " + t.ref() + " has expired and cannot be rotated; issue a new token");
    }
  }

  /**
   * Until when a rotated-out secret keeps working: the grace period from now, but never past the
   * token's old or new expiry; null for no grace.
   */
  static @Nullable Instant rotationGraceEnd(
      Duration grace, @Nullable Instant oldExpiry, @Nullable Instant newExpiry, Instant now) {
    if (grace.isZero()) {
      return null;
    }
    return capGrace(capGrace(now.plus(grace), oldExpiry, now), newExpiry, now);
  }

  /** The earlier of a grace end and an expiry (null: never); null if the grace end is missing or not in the future. */
  static @Nullable Instant capGrace(@Nullable Instant graceEnd, @Nullable Instant expiresAt, Instant now) {
    if (graceEnd == null) {
      return null;
    }
    Instant end = expiresAt != null && expiresAt.isBefore(graceEnd) ? expiresAt : graceEnd;
    return end.isAfter(now) ? end : null;
  }
}
