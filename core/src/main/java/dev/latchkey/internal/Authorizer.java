package dev.latchkey.internal;

import dev.latchkey.AccessPolicy;
import dev.latchkey.AccessPolicy.Action;
import dev.latchkey.Actor;
import dev.latchkey.NotFoundException;
import dev.latchkey.PermissionDeniedException;
import dev.latchkey.Principal;
import dev.latchkey.PrincipalRef;
import dev.latchkey.PrincipalType;
import dev.latchkey.spi.TokenStore;
import java.util.Optional;

/**
 * The authorization step of every management call, in one place and always in this order: resolve
 * the acting principal (it must exist and be enabled; the system actor skips the policy), read the
 * principal acted upon, let the {@link AccessPolicy} decide. Callers read keys and tokens only after
 * that, so that an unauthorized caller learns nothing about them, not even whether they exist.
 */
final class Authorizer {
  private final TokenStore store;
  private final AccessPolicy policy;

  Authorizer(TokenStore store, AccessPolicy policy) {
    this.store = store;
    this.policy = policy;
  }

  /** Account-wide operations that never reach the policy. */
  void requireSystem(Actor actor, String what) {
    Checks.notNull("actor", actor);
    if (!actor.isSystem()) {
      throw denied(actor, what);
    }
  }

  /** The acting principal, read from the store; it must exist and be enabled. */
  Caller caller(Actor actor) {
    Checks.notNull("actor", actor);
    if (actor.isSystem()) {
      return new Caller(actor, null);
    }
    PrincipalRef ref = actor.principal().orElseThrow();
    Principal p = store.findPrincipal(ref).orElse(null);
    if (p == null || !p.enabled()) {
      throw new PermissionDeniedException("acting principal " + ref + " does not exist or is disabled");
    }
    return new Caller(actor, p);
  }

  /** Resolves the actor and authorizes {@code action} on the principal {@code ref}, which is returned. */
  Principal authorize(Actor actor, Action action, PrincipalRef ref) {
    return caller(actor).authorize(action, ref);
  }

  /** A resolved actor: the system actor, or a principal that exists and is enabled. */
  final class Caller {
    private final Actor actor;
    /** Null for the system actor, which the policy is never asked about. */
    private final Principal principal;

    private Caller(Actor actor, Principal principal) {
      this.actor = actor;
      this.principal = principal;
    }

    /**
     * Reads the principal {@code ref} and has the policy decide whether this caller may perform
     * {@code action} on it. The principal is read before the decision because the policy judges what
     * it holds. A missing principal is reported as missing only to callers the policy lets list the
     * account's principals, who could see that anyway; everyone else is denied, so nobody learns by
     * probing which principals exist.
     */
    Principal authorize(Action action, PrincipalRef ref) {
      Optional<Principal> found = store.findPrincipal(ref);
      if (principal != null) {
        Action asked = found.isPresent() ? action : Action.VIEW_PRINCIPALS;
        if (!policy.permits(principal, asked, ref.accountId(), found.orElse(null))) {
          throw denied(actor, describeAction(action, ref, ""));
        }
      }
      return found.orElseThrow(() -> new NotFoundException(describe(ref) + " does not exist"));
    }

    /** Asks the policy about a principal as a create or edit would store it: no granting up. */
    void permit(Action action, Principal asStored) {
      if (principal != null && !policy.permits(principal, action, asStored.ref().accountId(), asStored)) {
        throw denied(actor, describeAction(action, asStored.ref(), " with these roles, permissions and scope"));
      }
    }

    /** Listing an account's principals: the policy is asked without a subject. */
    void permitListing(String accountId) {
      if (principal != null && !policy.permits(principal, Action.VIEW_PRINCIPALS, accountId, null)) {
        throw denied(actor, "view principals in account " + accountId);
      }
    }

    /** A principal reads only its own account; the policy is not asked. */
    void requireOwnAccount(String accountId) {
      if (principal != null && !principal.ref().accountId().equals(accountId)) {
        throw denied(actor, "read account " + accountId);
      }
    }
  }

  /** "user acme/user/alice" or "service account acme/sa/ci", for messages. */
  static String describe(PrincipalRef ref) {
    return (ref.type() == PrincipalType.USER ? "user " : "service account ") + ref;
  }

  private static PermissionDeniedException denied(Actor actor, String what) {
    return new PermissionDeniedException(actor + " is not allowed to " + what);
  }

  /**
   * What was refused and, so that the message says what to do, what the standard policy would need.
   * Names no role or permission of the subject: the actor may not be allowed to see them.
   */
  private static String describeAction(Action action, PrincipalRef subject, String how) {
    boolean user = subject.type() == PrincipalType.USER;
    String covering = " together with every role and permission of the " + (user ? "user" : "service account")
        + (user ? "" : ", at a scope that contains its scope");
    String admin = "the " + AccessPolicy.ACCOUNT_ADMIN_ROLE + " role";
    switch (action) {
      case MANAGE_PRINCIPAL:
        return (user ? "manage users" : "manage service accounts") + " in account " + subject.accountId() + " ("
            + subject + how + "); the standard policy requires " + admin + ", or the "
            + (user ? AccessPolicy.MANAGE_USERS : AccessPolicy.MANAGE_SERVICE_ACCOUNTS) + " permission" + covering;
      case VIEW_PRINCIPALS:
        return "view principals in account " + subject.accountId();
      case MINT_CREDENTIALS:
        return "create API keys for, or issue or rotate tokens of, " + subject + (user
            ? "; personal keys and tokens are minted only by their own user"
            : "; the standard policy requires " + admin + ", or the "
                + AccessPolicy.MINT_SERVICE_ACCOUNT_CREDENTIALS + " permission" + covering);
      case IMPORT_TOKEN:
        return "import tokens for " + subject + (user
            ? "; personal tokens are imported only by the system actor, or by their own user if an account admin"
            : "; the standard policy requires " + admin);
      case EDIT_CREDENTIALS:
      case REVOKE_CREDENTIALS:
        return (action == Action.EDIT_CREDENTIALS ? "edit" : "revoke or delete") + " the API keys and tokens of "
            + subject + (user
                ? (action == Action.EDIT_CREDENTIALS
                    ? "; personal keys and tokens are edited only by their own user"
                    : "; that is for the user and account admins")
                : "; the standard policy requires " + admin + ", or the " + AccessPolicy.MANAGE_SERVICE_ACCOUNTS
                    + " or " + AccessPolicy.MINT_SERVICE_ACCOUNT_CREDENTIALS + " permission" + covering);
      case VIEW_CREDENTIALS:
        return "view the API keys and tokens of " + subject;
      default:
        return action.name() + " " + subject;
    }
  }
}
