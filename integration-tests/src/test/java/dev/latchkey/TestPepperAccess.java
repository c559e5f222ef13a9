package dev.latchkey;

/**
 * Hands the package-private {@link PepperAccess} to the white-box tests in {@code
 * dev.latchkey.internal} that wire an instance by hand ({@code Node}). Test sources only, on the
 * class path: in the library, only {@link Latchkey.Builder#build()} passes it on.
 */
public final class TestPepperAccess {
  private TestPepperAccess() {}

  public static PepperAccess get() {
    return PepperAccess.LATCHKEY;
  }
}
