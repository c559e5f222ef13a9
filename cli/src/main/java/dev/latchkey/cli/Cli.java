package dev.latchkey.cli;

import java.io.Console;
import java.io.InputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
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
  static final String ENV_LATCHKEY_HOME = "LATCHKEY_HOME";

  /** The default database folder and what named it (for messages). */
  record Folder(Path path, String source) {}

  /** Anything shaped like a Latchkey token, whatever its prefix: redacted from every error message. */
  private static final Pattern TOKEN_SHAPED =
      Pattern.compile("[a-z][a-z0-9]{0,15}_(?:pat|sat)_[0-9A-Za-z]{16}_[0-9A-Za-z]{10,}");

  private final Map<String, String> env;
  private final Path userHome;
  private final InputStream in;
  private final PrintWriter out;
  private final PrintWriter err;
  private final Clock clock;
  private final Console console;

  /**
   * @param userHome Java's {@code user.home}: the home folder only when {@code $HOME} is not set
   * @param console the terminal for reading a token without echo, or null when standard input is
   *     not a terminal
   */
  Cli(Map<String, String> env, Path userHome, InputStream in, PrintWriter out, PrintWriter err, Clock clock,
      Console console) {
    this.env = Map.copyOf(env);
    this.userHome = userHome;
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
    CommandLine cmd = LatchkeyCommand.commandLine(this);
    HelpLayout.apply(cmd);
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
    // picocli 4.7 doubles a word in its message for a map option's value without '=' ("--tag novalue")
    message = message.replace("option option '", "option '");
    if (e instanceof UnmatchedArgumentException u && !u.getUnmatched().isEmpty()) {
      String first = u.getUnmatched().get(0);
      boolean option = first.startsWith("-");
      if (!option && !cmd.getSubcommands().isEmpty()) {
        message = "unknown command '" + Values.shorten(first) + "'; the commands are: " + commandNames(cmd);
      }
      // our own near-miss suggestions: picocli's also offer names that merely share letters ("isue": list)
      List<String> near = option
          ? Suggestions.near(first.contains("=") ? first.substring(0, first.indexOf('=')) : first, optionNames(cmd))
          : Suggestions.near(first, cmd.getSubcommands().keySet());
      if (!near.isEmpty()) {
        message = message + "; did you mean " + String.join(" or ", near) + "?";
      }
      if (u.getUnmatched().stream().anyMatch(a -> a.startsWith("--jdbc-password"))) {
        message = "there is no --jdbc-password: give the password in the environment variable "
            + LatchkeyCommand.ENV_JDBC_PASSWORD + " (flags end up in shell history and process lists)";
      } else if (cmd.getCommandSpec().userObject() instanceof TokenCommands.Verify && !option) {
        message = "the token to verify is read from standard input or --token-file <path>, never from the"
            + " command line (it would end up in shell history and process lists)";
      }
    }
    err.println(name + ": " + oneLine(message) + " (see '" + name + " --help')");
    return ExitCodes.USAGE;
  }

  private static List<String> optionNames(CommandLine cmd) {
    return cmd.getCommandSpec().options().stream().flatMap(o -> Arrays.stream(o.names())).toList();
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
    int code = ExitCodes.of(e);
    // An unexpected exception's message may quote anything (data, a token); the class chain with --verbose is safe.
    String message = code == ExitCodes.INTERNAL
        ? "internal error; rerun with --verbose to see what failed, and report it" : String.valueOf(e.getMessage());
    err.println(name + ": " + oneLine(message));
    Object root = cmd.getCommandSpec().root().userObject();
    if (root instanceof LatchkeyCommand lk && lk.verbose()) {
      err.println(name + ": exception chain: " + chain(e));
    }
    return code;
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

  /**
   * The home folder, for {@code ~/} in {@code --db}: {@code $HOME} if set (it must be absolute),
   * else Java's {@code user.home}.
   */
  Path homeFolder() {
    return env("HOME").map(h -> absolute(h, "HOME")).orElse(userHome);
  }

  /**
   * The folder of the default database: {@code $LATCHKEY_HOME} if set, else {@code $HOME/.latchkey},
   * else {@code .latchkey} in Java's {@code user.home}. Java alone would use {@code user.home} even
   * when {@code $HOME} says otherwise.
   */
  Folder latchkeyFolder() {
    Optional<String> own = env(ENV_LATCHKEY_HOME);
    if (own.isPresent()) {
      return new Folder(absolute(own.get(), ENV_LATCHKEY_HOME), ENV_LATCHKEY_HOME);
    }
    return new Folder(homeFolder().resolve(".latchkey"), env("HOME").isPresent() ? "HOME" : "user.home");
  }

  private static Path absolute(String value, String variable) {
    Path p;
    try {
      p = Path.of(value);
    } catch (java.nio.file.InvalidPathException e) {
      throw new UsageException(variable + " is not a valid path");
    }
    if (!p.isAbsolute()) {
      throw new UsageException(variable + " '" + Values.shorten(value) + "' is not an absolute path; set it to a full"
          + " path" + (variable.equals("HOME") ? " (or set " + ENV_LATCHKEY_HOME + ", or use --db)" : ""));
    }
    return p;
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
