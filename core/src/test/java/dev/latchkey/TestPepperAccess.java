package dev.latchkey;

/**
 * Hands the package-private {@link PepperAccess} to white-box tests of the hashing code in {@code
 * dev.latchkey.internal}. Test sources only: in the library, only {@link Latchkey.Builder#build()}
 * passes it on.
 */
public final class TestPepperAccess {
  private TestPepperAccess() {}

  public static PepperAccess get() {
    return PepperAccess.LATCHKEY;
  }
}
