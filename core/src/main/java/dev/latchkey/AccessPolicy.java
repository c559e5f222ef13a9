package dev.latchkey;

import org.jspecify.annotations.Nullable;

/**
 * Decides whether an acting principal may perform a management action. The {@link Actor#system()
 * system actor} bypasses the policy; a missing or disabled acting principal is refused before the
 * policy is asked. Creating, listing and deleting accounts, listing expiring tokens across accounts
 * and reading hash usage are reserved to the system actor and never reach the policy.
 *
 * <p>The policy sees the acting principal and the subject as they are stored, or, when a principal
 * is created or edited, as it would be stored: an edit is permitted only if the policy permits
 * {@link Action#MANAGE_PRINCIPAL} on the principal both before and after the edit.
 *
 * <p>The {@link #standard() standard policy}:
 *
 * <ul>
 *   <li>nobody acts outside their own account;
 *   <li>a principal with the {@value #ACCOUNT_ADMIN_ROLE} role may do everything in its account,
 *       except minting or editing another user's personal credentials (no impersonation);
 *   <li>everyone else may change a principal or its credentials only if it {@link #covers covers}
 *       that principal: holds every role and permission of it, at a scope that contains its scope
 *       (no escalation, no lockout of those who hold more);
 *   <li>{@value #MANAGE_USERS} allows creating, editing, enabling, disabling and deleting users;
 *   <li>{@value #MANAGE_SERVICE_ACCOUNTS} allows the same for service accounts, and editing,
 *       revoking and deleting their existing keys and tokens;
 *   <li>{@value #MINT_SERVICE_ACCOUNT_CREDENTIALS} allows creating API keys for service accounts
 *       and issuing and rotating their tokens, and editing, revoking and deleting those keys and
 *       tokens; an operator can grant one of the two service-account permissions without the other;
 *   <li>personal keys and tokens are minted (key created, token issued, rotated or imported) and
 *       edited only by their own user; account admins may read, list, revoke and delete them;
 *   <li>importing a legacy token is for account admins (and, for personal tokens, only the user's
 *       own, since importing is minting);
 *   <li>reading and listing principals needs one of the three permissions above (or being the
 *       principal); reading a principal's keys and tokens needs the permission that manages them
 *       (for personal ones: being the user), but not covering the principal.
 * </ul>
 *
 * <p>A custom policy replaces all of this, including the non-escalation rule: call {@link
 * #covers(Principal, Principal)} for every action on a principal or its credentials unless you
 * mean to allow escalation. To change one default (for example, to let account admins mint
 * personal credentials), delegate to {@link #standard()} for everything else.
 */
@FunctionalInterface
public interface AccessPolicy {
  String ACCOUNT_ADMIN_ROLE = "account_admin";
  String MANAGE_SERVICE_ACCOUNTS = "latchkey.service_accounts.manage";
  String MINT_SERVICE_ACCOUNT_CREDENTIALS = "latchkey.service_accounts.mint";
  String MANAGE_USERS = "latchkey.users.manage";

  /** What an actor wants to do. The subject's type says whether a user or service account is meant. */
  enum Action {
    /** Create, edit, enable, disable or delete the subject. */
    MANAGE_PRINCIPAL,
    /** Read the subject; without a subject, list the account's principals. */
    VIEW_PRINCIPALS,
    /** Create an API key for the subject, or issue or rotate one of its tokens: a new secret or a container for one. */
    MINT_CREDENTIALS,
    /** Import a legacy token for the subject: minting with a secret the caller supplies (as a bcrypt hash). */
    IMPORT_TOKEN,
    /** Edit the subject's API keys or tokens (name, description, tags, token expiry). */
    EDIT_CREDENTIALS,
    /** Revoke or delete the subject's tokens, or delete its API keys. */
    REVOKE_CREDENTIALS,
    /** Read or list the subject's API keys and token metadata. */
    VIEW_CREDENTIALS
  }

  /**
   * @param actor the acting principal, enabled and as currently stored
   * @param accountId the account the action happens in; the subject's account when there is one
   * @param subject the principal acted upon, or whose credentials are acted upon, as stored or as it
   *     would be stored after a create or edit; null only for {@link Action#VIEW_PRINCIPALS} when
   *     listing, or when asking whether the actor may learn that a principal does not exist
   */
  boolean permits(Principal actor, Action action, String accountId, @Nullable Principal subject);

  /**
   * The non-escalation rule: {@code actor} holds every role and every permission of {@code subject},
   * and its scope contains the subject's scope (users are at account scope). A principal covers
   * itself. Principals of different accounts never cover each other.
   */
  static boolean covers(Principal actor, Principal subject) {
    return actor.roles().containsAll(subject.roles())
        && actor.permissions().containsAll(subject.permissions())
        && actor.scope().contains(subject.scope());
  }

  static AccessPolicy standard() {
    return AccessPolicy::standardDecision;
  }

  private static boolean standardDecision(
      Principal actor, Action action, String accountId, @Nullable Principal subject) {
    if (!actor.ref().accountId().equals(accountId)
        || subject != null && !subject.ref().accountId().equals(accountId)) {
      return false;
    }
    boolean admin = actor.hasRole(ACCOUNT_ADMIN_ROLE);
    boolean manageUsers = actor.hasPermission(MANAGE_USERS);
    boolean manageServiceAccounts = actor.hasPermission(MANAGE_SERVICE_ACCOUNTS);
    boolean mint = actor.hasPermission(MINT_SERVICE_ACCOUNT_CREDENTIALS);
    if (subject == null) {
      return action == Action.VIEW_PRINCIPALS && (admin || manageUsers || manageServiceAccounts || mint);
    }
    Principal s = subject;
    boolean self = actor.ref().equals(s.ref());
    if (action == Action.VIEW_PRINCIPALS) {
      return admin || manageUsers || manageServiceAccounts || mint || self;
    }
    if (s.ref().type() == PrincipalType.USER && action != Action.MANAGE_PRINCIPAL) {
      return personalCredentials(action, admin, self);
    }
    if (admin) {
      return true;
    }
    switch (action) {
      case MANAGE_PRINCIPAL:
        return (s.ref().type() == PrincipalType.USER ? manageUsers : manageServiceAccounts) && covers(actor, s);
      case MINT_CREDENTIALS:
        return mint && covers(actor, s);
      case EDIT_CREDENTIALS:
      case REVOKE_CREDENTIALS:
        return (manageServiceAccounts || mint) && covers(actor, s);
      case VIEW_CREDENTIALS:
        return manageServiceAccounts || mint;
      case IMPORT_TOKEN:
      default:
        return false;
    }
  }

  /** A user's own keys and tokens: minted and edited only by that user (the product's "your personal account"). */
  private static boolean personalCredentials(Action action, boolean admin, boolean self) {
    switch (action) {
      case MINT_CREDENTIALS:
      case EDIT_CREDENTIALS:
        return self;
      case IMPORT_TOKEN:
        return self && admin;
      case REVOKE_CREDENTIALS:
      case VIEW_CREDENTIALS:
        return self || admin;
      default:
        return false;
    }
  }
}
