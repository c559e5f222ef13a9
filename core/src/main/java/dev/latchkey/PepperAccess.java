package dev.latchkey;

/**
 * The capability to read pepper key bytes with {@link PepperKeyset#keyMaterial(int, PepperAccess)}.
 * Nothing public hands one out: {@link Latchkey.Builder#build()} gives the only instance to the
 * hashing code it assembles. Applications never need it (a pepper is used, never read back); the
 * explicit argument makes every read of key bytes visible in the code and impossible elsewhere.
 */
public final class PepperAccess {
  /** The instance {@link Latchkey.Builder#build()} passes to the implementation. */
  static final PepperAccess LATCHKEY = new PepperAccess();

  private PepperAccess() {}

  @Override
  public String toString() {
    return "PepperAccess";
  }
}
