package dev.latchkey.cli;

import dev.latchkey.Actor;
import dev.latchkey.AuditListener;
import dev.latchkey.ConfigurationException;
import dev.latchkey.Limits;
import dev.latchkey.PepperKeyset;
import dev.latchkey.PrincipalRef;
import dev.latchkey.PrincipalType;
import dev.latchkey.TokenFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** The {@code latchkey} command: global options (accepted before or after any subcommand) and the command tree. */
@Command(
    name = "latchkey",
    scope = ScopeType.INHERIT,
    versionProvider = LatchkeyCommand.Version.class,
    sortOptions = false,
    usageHelpAutoWidth = true,
    description = {
        "Operator tool for Latchkey API keys and tokens, over the JDBC store.",
        "Acts as the system actor (allowed everything) unless --as names a principal.",
        "Data: an embedded H2 file, by default ~/.latchkey/latchkey.mv.db: the folder is $LATCHKEY_HOME if set,"
            + " else $HOME/.latchkey, else .latchkey in Java's user.home (--db or --jdbc-url for another)."
            + " The folder is created mode 700, the database files 600. The schema is created or upgraded on every"
            + " start.",
        "Secrets: the pepper keyset comes from LATCHKEY_PEPPERS or --peppers-file (a file only its owner may read;"
            + " list and get need none). Token values are shown once."},
    footer = {
        "",
        "Exit codes:",
        "  0  success",
        "  1  token rejected, or not found",
        "  2  usage or configuration error; nothing was changed",
        "  3  database error, or writing --out-file failed",
        "  4  permission denied (with --as)",
        "  5  conflict: already exists, owner disabled, concurrent change",
        "  6  limit exceeded",
        "  7  internal error (a bug: please report it, with the output of --verbose)",
        "Environment: LATCHKEY_PEPPERS, LATCHKEY_HOME, LATCHKEY_JDBC_URL, LATCHKEY_JDBC_USER,",
        "  LATCHKEY_JDBC_PASSWORD, LATCHKEY_TOKEN_PREFIX, LATCHKEY_ZONE"})
final class LatchkeyCommand implements Runnable {
  static final String ENV_JDBC_URL = "LATCHKEY_JDBC_URL";
  static final String ENV_JDBC_USER = "LATCHKEY_JDBC_USER";
  static final String ENV_JDBC_PASSWORD = "LATCHKEY_JDBC_PASSWORD";
  static final String ENV_TOKEN_PREFIX = "LATCHKEY_TOKEN_PREFIX";
  static final String ENV_ZONE = "LATCHKEY_ZONE";

  private final Cli cli;

  @Spec
  CommandSpec spec;

  @Option(names = "--db", paramLabel = "<path>", scope = ScopeType.INHERIT,
      description = "H2 database file (default ~/.latchkey/latchkey, stored as latchkey.mv.db). A file path only:"
          + " no ';' and no URL; a leading ~/ is your home folder.")
  String db;

  @Option(names = "--jdbc-url", paramLabel = "<url>", scope = ScopeType.INHERIT,
      description = "JDBC URL instead of an H2 file: jdbc:postgresql://host/db or jdbc:h2:...;"
          + " default $" + ENV_JDBC_URL + ". Password: $" + ENV_JDBC_PASSWORD + " (never a flag).")
  String jdbcUrl;

  @Option(names = "--jdbc-user", paramLabel = "<user>", scope = ScopeType.INHERIT,
      description = "Database user for --jdbc-url; default $" + ENV_JDBC_USER + ".")
  String jdbcUser;

  @Option(names = "--peppers-file", paramLabel = "<path>", scope = ScopeType.INHERIT,
      description = "File holding the pepper keyset (instead of $" + Peppers.ENV + ").")
  Path peppersFile;

  @Option(names = "--token-prefix", paramLabel = "<prefix>", scope = ScopeType.INHERIT,
      description = "Token prefix of your application; default $" + ENV_TOKEN_PREFIX + ", else '"
          + TokenFormat.DEFAULT_PREFIX + "'.")
  String tokenPrefix;

  @Option(names = "--max-token-lifetime", paramLabel = "<duration|none>", scope = ScopeType.INHERIT,
      description = "Furthest expiry allowed, from now (default 365d); 'none' allows --expires never.")
  String maxTokenLifetime;

  @Option(names = "--zone", paramLabel = "<zone>", scope = ScopeType.INHERIT,
      description = "Time zone in which an --expires date ends, e.g. Europe/Berlin or +02:00; default $" + ENV_ZONE
          + ", else UTC.")
  String zone;

  @Option(names = "--as", paramLabel = "<principal>", scope = ScopeType.INHERIT,
      description = "Act as this principal (e.g. acme/user/alice) under the access policy, instead of as the system.")
  PrincipalRef as;

  @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print one JSON document (for scripts).")
  boolean json;

  @Option(names = {"-v", "--verbose"}, scope = ScopeType.INHERIT,
      description = "On errors also print the exception class chain; print audit events to stderr.")
  boolean verbose;

  LatchkeyCommand(Cli cli) {
    this.cli = cli;
  }

  /**
   * The command tree. Users and service accounts are one set of commands, registered once per
   * principal type; the value converters are registered once per type, over the finished tree. -h
   * and -V are mixed in last, as picocli does for a tree declared in annotations: every command then
   * lists them after the global options.
   */
  static CommandLine commandLine(Cli cli) {
    CommandLine cmd = new CommandLine(new LatchkeyCommand(cli))
        .addSubcommand(new AccountCommands())
        .addSubcommand(PrincipalCommands.group(PrincipalType.USER))
        .addSubcommand(PrincipalCommands.group(PrincipalType.SERVICE_ACCOUNT))
        .addSubcommand(new KeyCommands())
        .addSubcommand(new TokenCommands())
        .addSubcommand(new PepperCommands())
        .addSubcommand(new DemoCommand())
        .addSubcommand(new ConsoleCommand());
    cmd.getCommandSpec().mixinStandardHelpOptions(true);
    Values.registerConverters(cmd);
    return cmd;
  }

  @Override
  public void run() {
    throw new ParameterException(spec.commandLine(), "missing command; the commands are: "
        + Cli.commandNames(spec.commandLine()));
  }

  Cli cli() {
    return cli;
  }

  boolean json() {
    return json;
  }

  boolean verbose() {
    return verbose;
  }

  Output output() {
    return new Output(cli.out(), json);
  }

  /** Where the data lives; validates the storage options without touching any database. */
  Database database() {
    Optional<String> url = Optional.ofNullable(jdbcUrl).or(() -> cli.env(ENV_JDBC_URL));
    Optional<String> user = Optional.ofNullable(jdbcUser).or(() -> cli.env(ENV_JDBC_USER));
    if (db != null && jdbcUrl != null) {
      throw new UsageException("--db and --jdbc-url both name a database; give only one");
    }
    if (db != null) {
      return Database.h2File(db, cli::homeFolder);
    }
    if (url.isPresent()) {
      return Database.url(url.get(), user.orElse(null), cli.env(ENV_JDBC_PASSWORD).orElse(""));
    }
    if (jdbcUser != null) {
      throw new UsageException("--jdbc-user needs --jdbc-url (the default H2 file has no users)");
    }
    Cli.Folder folder = cli.latchkeyFolder();
    return Database.defaultLocation(folder.path(), folder.source());
  }

  TokenFormat format() {
    String prefix = Optional.ofNullable(tokenPrefix).or(() -> cli.env(ENV_TOKEN_PREFIX)).orElse(TokenFormat.DEFAULT_PREFIX);
    try {
      return TokenFormat.withPrefix(prefix);
    } catch (ConfigurationException e) {
      throw new UsageException("--token-prefix: " + e.getMessage());
    }
  }

  Limits limits() {
    Limits limits = Limits.defaults();
    if (maxTokenLifetime == null) {
      return limits;
    }
    if (maxTokenLifetime.equalsIgnoreCase("none")) {
      return limits.withoutMaxTokenLifetime();
    }
    Duration max;
    try {
      max = Values.positiveDuration(maxTokenLifetime);
    } catch (picocli.CommandLine.TypeConversionException e) {
      throw new UsageException("--max-token-lifetime: " + e.getMessage() + ", or 'none'");
    }
    if (max.compareTo(limits.defaultTokenLifetime()) < 0) {
      limits = limits.withDefaultTokenLifetime(max);
    }
    return limits.withMaxTokenLifetime(max);
  }

  Actor actor() {
    return as == null ? Actor.system() : Actor.principal(as);
  }

  /** The keyset; {@code why} says why this command needs one, should there be none ("" if obvious). */
  PepperKeyset peppers(String why) {
    return Peppers.load(Optional.ofNullable(peppersFile), cli.env(), why);
  }

  /** {@code --zone}, else {@code LATCHKEY_ZONE}, else UTC. */
  ZoneId zone() {
    if (zone != null) {
      return Values.zone(zone, "--zone");
    }
    return cli.env(ENV_ZONE).map(z -> Values.zone(z, ENV_ZONE)).orElse(ZoneOffset.UTC);
  }

  AuditListener audit() {
    if (!verbose) {
      return AuditListener.none();
    }
    return e -> cli.err().println("latchkey: audit: " + e.action() + " " + e.target() + " by " + e.actor()
        + (e.details().isEmpty() ? "" : " " + new TreeMap<>(e.details())));
  }

  /** The global options a store command needs (all but the peppers), checked without touching any database. */
  Session.Config sessionConfig() {
    Database database = database();
    TokenFormat format = format();
    Limits limits = limits();
    Actor actor = actor();
    ZoneId zoneId = zone();
    return new Session.Config(database, format, limits, actor, cli.clock(), zoneId, audit(), cli.err());
  }

  /** {@code --version}: the Maven project version, from a resource written at build time. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      Properties p = new Properties();
      try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
        if (in != null) {
          p.load(in);
        }
      } catch (IOException e) {
        // fall through to "unknown"
      }
      return new String[] {"latchkey " + p.getProperty("version", "(unknown version)")};
    }
  }
}
