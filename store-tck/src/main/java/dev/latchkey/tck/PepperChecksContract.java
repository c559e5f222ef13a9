package dev.latchkey.tck;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * Required core: pepper key-check values. Recorded once per version and never overwritten, so that a
 * node given another pepper under a known version is refused at start.
 */
abstract class PepperChecksContract extends ContractGroup {
  @Test
  void pepperChecksAreRecordedOnceAndNeverOverwritten() {
    // A new store knows no version, so the first value offered for each is the one recorded.
    assertThat(store.addPepperCheck(1, "check-one")).isEqualTo("check-one");
    assertThat(store.addPepperCheck(1, "another-value")).as("the first value stays").isEqualTo("check-one");
    assertThat(store.addPepperCheck(2, "check-two")).isEqualTo("check-two");
    assertThat(store.addPepperCheck(2, "another-value")).as("the first value stays").isEqualTo("check-two");
    assertThat(store.addPepperCheck(1, "check-two")).as("versions are kept apart").isEqualTo("check-one");
  }
}
