package dev.latchkey.cli;

/** Entry point of {@code latchkey.jar}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(Cli.forProcess().execute(args));
  }
}
