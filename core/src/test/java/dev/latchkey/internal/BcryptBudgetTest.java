package dev.latchkey.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.latchkey.internal.Bcrypt.Budget;
import dev.latchkey.internal.Bcrypt.Outcome;
import org.junit.jupiter.api.Test;

/**
 * The per-id failure budget (the class comment of {@link Bcrypt}): up to three failed or running
 * checks of one id, so a fourth check at once is refused even before any failure; and when its
 * record may be dropped: only when nothing is running and no failure is remembered (a record
 * dropped while checks run would let the next check start a fresh budget).
 */
class BcryptBudgetTest {

  @Test
  void atMostThreeChecksOfOneIdRunAtOnce() {
    Budget b = new Budget();
    for (int i = 0; i < 3; i++) {
      assertThat(b.tryBegin(0)).as("check %d", i + 1).isEqualTo(Budget.BEGUN);
    }
    assertThat(b.tryBegin(0)).as("a fourth at once").isEqualTo(Budget.REFUSED);
    b.end(Outcome.MATCH, 0);
    assertThat(b.tryBegin(0)).as("once one ended").isEqualTo(Budget.BEGUN);
  }

  @Test
  void afterAFailureAsManyChecksRunAtOnceAsFailuresAreLeftInTheBudget() {
    Budget b = new Budget();
    b.tryBegin(0);
    b.end(Outcome.MISMATCH, 0);
    assertThat(b.tryBegin(1)).isEqualTo(Budget.BEGUN_AFTER_FAILURES);
    assertThat(b.tryBegin(1)).isEqualTo(Budget.BEGUN_AFTER_FAILURES);
    assertThat(b.tryBegin(1)).as("two failures left: a third at once").isEqualTo(Budget.REFUSED);
  }

  @Test
  void aRecordMayBeDroppedOnlyWhenNothingRunsAndNoFailureIsRemembered() {
    Budget b = new Budget();
    b.tryBegin(0);
    b.tryBegin(0);
    assertThat(b.end(Outcome.MATCH, 0)).as("another check still runs").isFalse();
    assertThat(b.end(Outcome.MATCH, 0)).as("the last one ended with a match").isTrue();

    Budget failed = new Budget();
    failed.tryBegin(0);
    assertThat(failed.end(Outcome.MISMATCH, 0)).as("a failure to remember").isFalse();
    assertThat(failed.tryBegin(1)).isEqualTo(Budget.BEGUN_AFTER_FAILURES);
    assertThat(failed.end(Outcome.MATCH, 1)).as("a success clears it").isTrue();

    Budget busy = new Budget();
    busy.tryBegin(0);
    assertThat(busy.end(Outcome.BUSY, 0)).as("not run: its share given back, nothing remembered").isTrue();
  }
}
