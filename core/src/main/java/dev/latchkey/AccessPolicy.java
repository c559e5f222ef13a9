package dev.latchkey;

import java.util.Optional;

/**
 * Decides whether an acting principal may perform a management action. The {@link Actor#system()
 * system actor} bypasses the policy; a missing or disabled acting principal is refused before the
 * policy is asked. Creating and deleting accounts is reserved to the system actor.
 *
 * <p>The {@link #standard() standard policy} follows the product documentation this library
 * implements:
 *
 * <ul>
 *   <li>nobody acts outside their own account;
 *   <li>a principal with the {@value #ACCOUNT_ADMIN_ROLE} role may do everything in its account;
 *   <li>a principal with the {@value #MANAGE_SERVICE_ACCOUNTS} permission may create, edit, disable
 *       and delete service accounts and manage their keys and tokens;
 *   <li>a principal with the {@value #MANAGE_USERS} permission may create, edit, disable and delete
 *       users;
 *   <li>a user may manage (and list) only their own personal keys and tokens.
 * </ul>
 */
@FunctionalInterface
public interface AccessPolicy {
  String ACCOUNT_ADMIN_ROLE = "account_admin";
  String MANAGE_SERVICE_ACCOUNTS = "latchkey.service_accounts.manage";
  String MANAGE_USERS = "latchkey.users.manage";

  /** What an actor wants to do. */
  enum Action {
    /** Create, edit, enable, disable or delete users. */
    MANAGE_USERS,
    /** Create, edit, enable, disable or delete service accounts. */
    MANAGE_SERVICE_ACCOUNTS,
    /** Read or list principals. */
    VIEW_PRINCIPALS,
    /** Create, edit or delete API keys of the subject and issue, edit, rotate, revoke or delete its tokens. */
    MANAGE_API_KEYS,
    /** List or read the subject's API keys and token metadata. */
    VIEW_API_KEYS
  }

  /**
   * @param actor the acting principal, enabled and as currently stored
   * @param accountId the account the action happens in
   * @param subject the principal acted upon or whose keys are acted upon, if any
   */
  boolean permits(Principal actor, Action action, String accountId, Optional<PrincipalRef> subject);

  static AccessPolicy standard() {
    return (actor, action, accountId, subject) -> {
      if (!actor.ref().accountId().equals(accountId)) {
        return false;
      }
      if (actor.hasRole(ACCOUNT_ADMIN_ROLE)) {
        return true;
      }
      boolean subjectIsServiceAccount =
          subject.map(s -> s.type() == PrincipalType.SERVICE_ACCOUNT).orElse(false);
      switch (action) {
        case MANAGE_USERS:
          return actor.hasPermission(MANAGE_USERS);
        case MANAGE_SERVICE_ACCOUNTS:
          return actor.hasPermission(MANAGE_SERVICE_ACCOUNTS);
        case VIEW_PRINCIPALS:
          return actor.hasPermission(MANAGE_SERVICE_ACCOUNTS)
              || actor.hasPermission(MANAGE_USERS)
              || subject.map(actor.ref()::equals).orElse(false);
        case MANAGE_API_KEYS:
        case VIEW_API_KEYS:
          if (subjectIsServiceAccount) {
            return actor.hasPermission(MANAGE_SERVICE_ACCOUNTS);
          }
          return actor.ref().type() == PrincipalType.USER
              && subject.map(actor.ref()::equals).orElse(false);
        default:
          return false;
      }
    };
  }
}
