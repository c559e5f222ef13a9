package dev.latchkey.web;

import dev.latchkey.Actor;
import dev.latchkey.TokenVerifier;
import dev.latchkey.VerificationResult;
import dev.latchkey.Verified;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Finds out who sent a management request. The host application knows how its users sign in; this
 * interface is where it tells Latchkey. A request for which the resolver finds nobody is refused
 * with 401: there is no anonymous access, not even to the console's static files.
 *
 * <p>Built in: {@link #userPrincipal} (the container's or framework's signed-in user, mapped to a
 * Latchkey actor by a function the application supplies) and {@link #bearerToken} (a Latchkey token
 * in {@code Authorization: Bearer}). Combine them with {@link #or}.
 *
 * <p>Implementations must be thread-safe and must not throw for an unauthenticated request; an
 * exception is answered with 500.
 */
@FunctionalInterface
public interface ActorResolver {

  /** The caller, or empty when the request is not authenticated. */
  Optional<Caller> resolve(HttpServletRequest request);

  /** This resolver, and where it finds nobody, {@code other}. */
  default ActorResolver or(ActorResolver other) {
    Objects.requireNonNull(other, "other");
    return request -> {
      Optional<Caller> first = resolve(request);
      return first.isPresent() ? first : other.resolve(request);
    };
  }

  /**
   * The request's {@link HttpServletRequest#getUserPrincipal() user principal} (set by the servlet
   * container's or the framework's sign-in), mapped to an actor by {@code mapping}; empty when there
   * is no user principal or the mapping returns empty. Callers are {@link Caller.Credential#SESSION}:
   * such sign-ins ride on cookies or HTTP authentication, which browsers send by themselves.
   *
   * @param mapping from the host's user to a Latchkey actor, e.g. {@code p ->
   *     Optional.of(Actor.principal(PrincipalRef.user("acme", p.getName())))}; return {@link
   *     Actor#system()} only for operators who may do everything
   */
  static ActorResolver userPrincipal(Function<? super java.security.Principal, Optional<Actor>> mapping) {
    Objects.requireNonNull(mapping, "mapping");
    return request -> {
      java.security.Principal principal = request.getUserPrincipal();
      if (principal == null) {
        return Optional.empty();
      }
      Optional<Actor> actor = mapping.apply(principal);
      if (actor == null) {
        throw new IllegalStateException("the user-principal mapping returned null; return Optional.empty()");
      }
      return actor.map(Caller::session);
    };
  }

  /**
   * A Latchkey token in {@code Authorization: Bearer <token>} (scheme case-insensitive), verified by
   * {@code verifier}: the caller is the token's principal, as a {@link Caller.Credential#BEARER}
   * caller. A missing header, another scheme, two Authorization headers or a token that does not
   * verify yields empty (and so,
   * without another resolver, 401). The token is never logged or echoed.
   */
  static ActorResolver bearerToken(TokenVerifier verifier) {
    Objects.requireNonNull(verifier, "verifier");
    return request -> {
      java.util.Enumeration<String> headers = request.getHeaders("Authorization");
      String header = headers.hasMoreElements() ? headers.nextElement() : null;
      if (headers.hasMoreElements()) {
        return Optional.empty(); // two credentials: ambiguous, so none
      }
      if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
        return Optional.empty();
      }
      VerificationResult result = verifier.verify(header.substring(7));
      return result instanceof Verified v ? Optional.of(Caller.bearer(Actor.of(v))) : Optional.empty();
    };
  }
}
