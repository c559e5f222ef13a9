package dev.latchkey.cli;

import dev.latchkey.LatchkeyException;
import java.io.Console;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The command-line tool: the environment it runs in (variables, home folder, streams, clock) and
 * the picocli wiring with its error handling. Tests build one with their own environment and
 * streams; {@link Main} builds one over the process's.
 */
public final class Cli {
  /** Anything shaped like a Latchkey token, whatever its prefix: redacted from every error message. */
  private static final Pattern TOKEN_SHAPED =
      Pattern.compile("[a-z][a-z0-9]{0,15}_(?:pat|sat)_[0-9A-Za-z]{16}_[0-9A-Za-z]{10,}");

  private final Map<String, String> env;
  private final Path home;
  private final InputStream in;
  private final PrintWriter out;
  private final PrintWriter err;
  private final Clock clock;
  private final Console console;

  /**
   * @param console the terminal for reading a token without echo, or null when standard input is
   *     not a terminal
   */
  Cli(Map<String, String> env, Path home, InputStream in, PrintWriter out, PrintWriter err, Clock clock, Console console) {
    this.env = Map.copyOf(env);
    this.home = home;
    this.in = in;
    this.out = out;
    this.err = err;
    this.clock = clock;
    this.console = console;
  }

  /** The CLI over this process's environment, standard streams and the system clock. */
  public static Cli forProcess() {
    Charset charset = Charset.defaultCharset();
    return new Cli(System.getenv(), Path.of(System.getProperty("user.home")), System.in,
        new PrintWriter(new OutputStreamWriter(System.out, charset), true),
        new PrintWriter(new OutputStreamWriter(System.err, charset), true),
        Clock.systemUTC(), System.console());
  }

  /** Runs one command line and returns its exit code (see the README's table). Never throws. */
  public int execute(String... args) {
    try {
      return commandLine().execute(args);
    } finally {
      out.flush();
      err.flush();
    }
  }

  CommandLine commandLine() {
    CommandLine cmd = new CommandLine(new LatchkeyCommand(this));
    cmd.setOut(out);
    cmd.setErr(err);
    cmd.setColorScheme(CommandLine.Help.defaultColorScheme(Ansi.OFF));
    cmd.setParameterExceptionHandler(this::onUsageError);
    cmd.setExecutionExceptionHandler((e, commandLine, parseResult) -> onFailure(e, commandLine));
    return cmd;
  }

  private int onUsageError(ParameterException e, String[] args) {
    CommandLine cmd = e.getCommandLine();
    String name = cmd.getCommandSpec().qualifiedName();
    String message = e.getMessage() == null ? "invalid command line" : e.getMessage();
    if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      String first = u.getUnmatched().get(0);
      if (!first.startsWith("-") && !cmd.getSubcommands().isEmpty()) {
        message = "unknown command '" + first + "'; the commands are: " + commandNames(cmd);
      }
      List<String> suggestions = u.getSuggestions();
      if (!suggestions.isEmpty()) {
        message = message + "; did you mean " + String.join(" or ", suggestions) + "?";
      }
      if (u.getUnmatched().stream().anyMatch(a -> a.startsWith("--jdbc-password"))) {
        message = "there is no --jdbc-password: give the password in the environment variable "
            + LatchkeyCommand.ENV_JDBC_PASSWORD + " (flags end up in shell history and process lists)";
      } else if (cmd.getCommandSpec().userObject() instanceof TokenCommands.Verify && !first.startsWith("-")) {
        message = "the token to verify is read from standard input or --token-file <path>, never from the"
            + " command line (it would end up in shell history and process lists)";
      }
    }
    err.println(name + ": " + oneLine(message) + " (see '" + name + " --help')");
    return ExitCodes.USAGE;
  }

  static String commandNames(CommandLine cmd) {
    return cmd.getSubcommands().values().stream().map(CommandLine::getCommandName).distinct()
        .collect(Collectors.joining(", "));
  }

  private int onFailure(Exception e, CommandLine cmd) {
    if (e instanceof ParameterException p) {
      return onUsageError(p, new String[0]);
    }
    String name = cmd.getCommandSpec().qualifiedName();
    String message;
    if (e instanceof LatchkeyException || e instanceof UsageException || e instanceof UncheckedIOException
        || e instanceof picocli.CommandLine.TypeConversionException) {
      message = e.getMessage();
    } else {
      message = "internal error (" + e.getClass().getName() + "); rerun with --verbose and report it";
    }
    err.println(name + ": " + oneLine(message));
    Object root = cmd.getCommandSpec().root().userObject();
    if (root instanceof LatchkeyCommand lk && lk.verbose()) {
      err.println(name + ": exception chain: " + chain(e));
    }
    return ExitCodes.of(e);
  }

  /** Exception class names, outermost first. Only class names: messages of causes may quote data. */
  static String chain(Throwable e) {
    StringBuilder sb = new StringBuilder();
    for (Throwable t = e; t != null && sb.length() < 2000; t = t.getCause()) {
      if (sb.length() > 0) {
        sb.append(" <- ");
      }
      sb.append(t.getClass().getName());
      if (t.getCause() == t) {
        break;
      }
    }
    return sb.toString();
  }

  static String oneLine(String message) {
    String s = TOKEN_SHAPED.matcher(message).replaceAll("<token redacted>");
    return Output.printable(s.replace("\r\n", "; ").replace('\n', ' ').strip());
  }

  Map<String, String> env() {
    return env;
  }

  Optional<String> env(String name) {
    String v = env.get(name);
    return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
  }

  Path home() {
    return home;
  }

  InputStream in() {
    return in;
  }

  PrintWriter out() {
    return out;
  }

  PrintWriter err() {
    return err;
  }

  Clock clock() {
    return clock;
  }

  Optional<Console> console() {
    return Optional.ofNullable(console);
  }
}
