package dev.latchkey.behaviour;

import static dev.latchkey.testing.World.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.latchkey.Actor;
import dev.latchkey.ConflictException;
import dev.latchkey.Expiration;
import dev.latchkey.InvalidArgumentException;
import dev.latchkey.IssuedToken;
import dev.latchkey.LatchkeyException;
import dev.latchkey.NewApiKey;
import dev.latchkey.NewServiceAccount;
import dev.latchkey.NewToken;
import dev.latchkey.NewUser;
import dev.latchkey.NotFoundException;
import dev.latchkey.PermissionDeniedException;
import dev.latchkey.PrincipalRef;
import dev.latchkey.Rotation;
import dev.latchkey.Scope;
import dev.latchkey.TokenEdit;
import dev.latchkey.TokenRef;
import dev.latchkey.testing.World;
import java.time.Duration;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Management calls with bad arguments throw a clear exception from the one hierarchy and change
 * nothing: the store (every entity and the change feed) and the audit trail are compared before and
 * after each attempt.
 */
class BadArgumentsTest {
  private World w;
  private IssuedToken existing;

  @BeforeEach
  void setUp() {
    w = new World();
    existing = w.token(w.ci.ref(), "k", "t");
  }

  @AfterEach
  void tearDown() {
    w.close();
  }

  private void refused(Class<? extends LatchkeyException> type, String messagePart, ThrowingCallable call) {
    List<Object> before = StoreSnapshot.of(w.memory);
    int audits = w.audit.size();
    assertThatThrownBy(call).isInstanceOf(type).hasMessageContaining(messagePart);
    assertThat(StoreSnapshot.of(w.memory)).as("store unchanged").isEqualTo(before);
    assertThat(w.audit).as("no audit event").hasSize(audits);
  }

  @Test
  void blankNames() {
    refused(InvalidArgumentException.class, "must not be blank",
        () -> w.m.createApiKey(w.system, NewApiKey.of(w.ci.ref(), "k2", " \t")));
    refused(InvalidArgumentException.class, "must not be blank",
        () -> w.m.issueToken(w.system, NewToken.of(existing.ref().apiKey(), "t2", "")));
    refused(InvalidArgumentException.class, "must not be blank", () -> w.m.createAccount(w.system, "acme2", " "));
  }

  @Test
  void descriptionsOver1024Characters() {
    refused(InvalidArgumentException.class, "at most 1024",
        () -> w.m.createApiKey(w.system, NewApiKey.of(w.ci.ref(), "k2", "K").withDescription("x".repeat(1025))));
    refused(InvalidArgumentException.class, "at most 1024",
        () -> w.m.editToken(w.system, existing.ref(), TokenEdit.none().description("y".repeat(1025))));
  }

  @Test
  void illegalIdentifiers() {
    for (String bad : new String[] {"", "9lives", "has-dash", "has space", "ünï", "a/b", "x".repeat(129), "' OR 1=1 --"}) {
      refused(InvalidArgumentException.class, "id", () -> w.m.createApiKey(w.system, NewApiKey.of(w.ci.ref(), bad, "K")));
      refused(InvalidArgumentException.class, "id",
          () -> w.m.issueToken(w.system, NewToken.of(existing.ref().apiKey(), bad, "T")));
      refused(InvalidArgumentException.class, "id", () -> w.m.createAccount(w.system, bad, "A"));
    }
  }

  @Test
  void duplicateIdentifiers() {
    refused(ConflictException.class, "already exists", () -> w.m.createAccount(w.system, "acme", "Again"));
    refused(ConflictException.class, "already exists", () -> w.m.createUser(w.system, NewUser.of("acme", "alice", "A")));
    refused(ConflictException.class, "already exists",
        () -> w.m.createServiceAccount(w.system, NewServiceAccount.of(Scope.account("acme"), "ci", "CI")));
    refused(ConflictException.class, "already exists",
        () -> w.m.createApiKey(w.system, NewApiKey.of(w.ci.ref(), "k", "K")));
    refused(ConflictException.class, "already exists",
        () -> w.m.issueToken(w.system, NewToken.of(existing.ref().apiKey(), "t", "T")));
  }

  @Test
  void expiriesInThePastOrBeyondTheMaximum() {
    var key = existing.ref().apiKey();
    refused(InvalidArgumentException.class, "in the future",
        () -> w.m.issueToken(w.system, NewToken.of(key, "t2", "T").expiring(Expiration.at(World.START.minusSeconds(1)))));
    refused(InvalidArgumentException.class, "in the future",
        () -> w.m.issueToken(w.system, NewToken.of(key, "t2", "T").expiring(Expiration.at(World.START))));
    refused(InvalidArgumentException.class, "maximum token lifetime",
        () -> w.m.issueToken(w.system, NewToken.of(key, "t2", "T").expiring(Expiration.after(Duration.ofDays(366)))));
    refused(InvalidArgumentException.class, "must expire",
        () -> w.m.issueToken(w.system, NewToken.of(key, "t2", "T").expiring(Expiration.never())));
    refused(InvalidArgumentException.class, "in the future",
        () -> w.m.editToken(w.system, existing.ref(), TokenEdit.none().expiration(Expiration.at(World.START.minusSeconds(5)))));
    refused(InvalidArgumentException.class, "maximum token lifetime",
        () -> w.m.rotateToken(w.system, existing.ref(), Rotation.immediate().expiring(Expiration.after(Duration.ofDays(400)))));
    refused(InvalidArgumentException.class, "exceeds the maximum",
        () -> w.m.createApiKey(w.system, NewApiKey.of(w.ci.ref(), "k2", "K").withDefaultTokenLifetime(Duration.ofDays(400))));
  }

  @Test
  void unknownParentsAndTargets() {
    refused(NotFoundException.class, "does not exist",
        () -> w.m.createApiKey(w.system, NewApiKey.of(PrincipalRef.serviceAccount("acme", "ghost"), "k", "K")));
    refused(NotFoundException.class, "does not exist",
        () -> w.m.issueToken(w.system, NewToken.of(w.ci.ref().apiKey("ghost"), "t", "T")));
    refused(NotFoundException.class, "does not exist",
        () -> w.m.createServiceAccount(w.system, NewServiceAccount.of(Scope.account("nowhere"), "sa", "SA")));
    refused(NotFoundException.class, "does not exist",
        () -> w.m.createUser(w.system, NewUser.of("nowhere", "u", "U")));
    TokenRef ghost = existing.ref().apiKey().token("ghost");
    refused(NotFoundException.class, "does not exist", () -> w.m.rotateToken(w.system, ghost, Rotation.immediate()));
    refused(NotFoundException.class, "does not exist", () -> w.m.editToken(w.system, ghost, TokenEdit.none().name("x")));
    refused(NotFoundException.class, "does not exist", () -> w.m.deleteToken(w.system, ghost));
    refused(NotFoundException.class, "does not exist", () -> w.m.deleteApiKey(w.system, w.ci.ref().apiKey("ghost")));
    refused(NotFoundException.class, "does not exist", () -> w.m.deleteAccount(w.system, "nowhere"));
  }

  @Test
  void actorsWithoutPermission() {
    refused(PermissionDeniedException.class, "not allowed",
        () -> w.m.createServiceAccount(as(w.alice), NewServiceAccount.of(Scope.account("acme"), "sa2", "SA")));
    refused(PermissionDeniedException.class, "not allowed",
        () -> w.m.issueToken(as(w.alice), NewToken.of(existing.ref().apiKey(), "t2", "T")));
    refused(PermissionDeniedException.class, "not allowed", () -> w.m.deleteToken(as(w.bob), existing.ref()));
    refused(PermissionDeniedException.class, "not allowed",
        () -> w.m.rotateToken(as(w.alice), existing.ref(), Rotation.immediate()));
    refused(PermissionDeniedException.class, "not allowed", () -> w.m.deleteAccount(as(w.admin), "acme"));
    refused(PermissionDeniedException.class, "does not exist or is disabled",
        () -> w.m.deleteToken(Actor.principal(PrincipalRef.user("acme", "nobody")), existing.ref()));
  }

  @Test
  void nullArguments() {
    refused(InvalidArgumentException.class, "actor is required", () -> w.m.deleteToken(null, existing.ref()));
    refused(InvalidArgumentException.class, "ref is required", () -> w.m.deleteToken(w.system, null));
    refused(InvalidArgumentException.class, "request is required", () -> w.m.issueToken(w.system, null));
    refused(InvalidArgumentException.class, "rotation is required", () -> w.m.rotateToken(w.system, existing.ref(), null));
  }

  @Test
  void aStaleVersionRotatesNothing() {
    refused(ConflictException.class, "not 7",
        () -> w.m.rotateToken(w.system, existing.ref(), Rotation.immediate().ifVersion(7)));
  }
}
