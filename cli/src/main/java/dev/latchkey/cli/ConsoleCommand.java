package dev.latchkey.cli;

import dev.latchkey.AccessPolicy;
import dev.latchkey.Actor;
import dev.latchkey.Limits;
import dev.latchkey.NewServiceAccount;
import dev.latchkey.NewUser;
import dev.latchkey.PepperKeyset;
import dev.latchkey.PrincipalRef;
import dev.latchkey.Scope;
import dev.latchkey.TokenManager;
import dev.latchkey.web.ActorResolver;
import dev.latchkey.web.Caller;
import dev.latchkey.web.LatchkeyWeb;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The web console on this machine, for trying it out: a fresh in-memory H2 database with an
 * ephemeral pepper keyset, an account with an account admin (and a service account to look at),
 * Jetty on 127.0.0.1 only, and a sign-in page that takes a login code printed once at start. This
 * is also the smallest example of embedding {@code latchkey-web}: a sign-in of the host's own, an
 * {@link ActorResolver} that reads it from the HTTP session, one servlet at {@code /latchkey/*}.
 */
@Command(name = "console", description = {
    "Start the web console on http://127.0.0.1:<port>/ over a fresh in-memory database, for trying it out.",
    "Creates an account with an account admin (and a service account) and prints a login code for the admin once.",
    "Uses an EPHEMERAL pepper keyset and an in-memory database: nothing is saved, every token dies with the process.",
    "Runs until stopped (Ctrl+C)."})
final class ConsoleCommand implements Callable<Integer> {
  static final String SIGNED_IN = "latchkey.console.principal";

  @Spec
  CommandSpec spec;

  @Option(names = "--port", paramLabel = "<port>", defaultValue = "8080",
      description = "Port on 127.0.0.1 (default 8080; 0 picks a free one).")
  int port;

  @Option(names = "--account", paramLabel = "<id>", defaultValue = "acme",
      description = "Identifier of the account to create (default acme).")
  String account;

  @Override
  public Integer call() throws Exception {
    LatchkeyCommand root = (LatchkeyCommand) spec.root().userObject();
    if (root.db != null || root.jdbcUrl != null) {
      throw new UsageException("console runs on its own in-memory database; leave out --db and --jdbc-url");
    }
    if (port < 0 || port > 65535) {
      throw new UsageException("--port must be 0 to 65535");
    }
    PrintWriter out = root.cli().out();
    SecureRandom random = new SecureRandom();
    String dbName = "latchkey_console_" + HexFormat.of().formatHex(random.generateSeed(6));
    Session.Config config = new Session.Config(Database.h2Memory(dbName), root.format(), Limits.defaults(),
        Actor.system(), root.cli().clock(), java.time.ZoneOffset.UTC, root.audit(), root.cli().err());
    try (Session session = Session.open(config, PepperKeyset.generate(random), true)) {
      PrincipalRef admin = bootstrap(session.manager());
      String code = loginCode(random);
      Server server = server(session, admin, code);
      Thread hook = new Thread(() -> stop(server), "latchkey-console-shutdown");
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        server.start();
        int bound = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
        String base = "http://127.0.0.1:" + bound;
        out.println("Latchkey console: " + base + "/");
        out.println("  Database: in-memory H2; peppers: ephemeral. Nothing is saved: every key and token dies with this process.");
        out.println("  Account " + account + " with account admin " + admin + " and service account "
            + PrincipalRef.serviceAccount(account, "ci_bot") + ".");
        out.println();
        out.println("  Sign in at " + base + "/login as " + admin + " with this login code (shown only now):");
        out.println();
        out.println("      " + code);
        out.println();
        out.println("  Stop with Ctrl+C.");
        out.flush();
        server.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt(); // stopped by the caller (tests); not an error
      } finally {
        stop(server);
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // already shutting down
        }
      }
    }
    return ExitCodes.OK;
  }

  private PrincipalRef bootstrap(TokenManager manager) {
    Actor system = Actor.system();
    manager.createAccount(system, account, "Demo account");
    PrincipalRef admin = PrincipalRef.user(account, "admin");
    manager.createUser(system, new NewUser(admin, "Account Admin", "created by 'latchkey console'",
        Set.of(AccessPolicy.ACCOUNT_ADMIN_ROLE), Set.of()));
    manager.createServiceAccount(system, NewServiceAccount.of(Scope.org(account, "eng"), "ci_bot", "CI bot")
        .withDescription("builds and deploys").withPermissions(Set.of("deploy")));
    return admin;
  }

  /** 20 characters of a 32-letter alphabet without look-alikes (100 bits), in groups of five. */
  private static String loginCode(SecureRandom random) {
    String alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";
    StringBuilder code = new StringBuilder();
    for (int i = 0; i < 20; i++) {
      if (i > 0 && i % 5 == 0) {
        code.append('-');
      }
      code.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return code.toString();
  }

  private static Server server(Session session, PrincipalRef admin, String code) {
    Server server = new Server();
    HttpConfiguration http = new HttpConfiguration();
    http.setSendServerVersion(false);
    ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
    connector.setHost("127.0.0.1");
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler(ServletContextHandler.SESSIONS);
    context.setContextPath("/");
    context.getSessionHandler().setHttpOnly(true);
    context.getSessionHandler().setSameSite(org.eclipse.jetty.http.HttpCookie.SameSite.STRICT);
    // The host's sign-in, as the console sees it: the principal kept in the HTTP session.
    ActorResolver resolver = request -> {
      HttpSession s = request.getSession(false);
      Object who = s == null ? null : s.getAttribute(SIGNED_IN);
      return who instanceof PrincipalRef ref ? Optional.of(Caller.session(Actor.principal(ref))) : Optional.empty();
    };
    HttpServlet console = LatchkeyWeb.builder(session.latchkey()).actorResolver(resolver).build();
    context.addServlet(new ServletHolder(console), "/latchkey/*");
    context.addServlet(new ServletHolder(new LoginServlet(admin, code)), "/login");
    context.addServlet(new ServletHolder(new HttpServlet() {
      private static final long serialVersionUID = 1L;

      @Override
      protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.sendRedirect("/latchkey/");
      }
    }), "");
    server.setHandler(context);
    return server;
  }

  private static void stop(Server server) {
    try {
      if (!server.isStopped()) {
        server.stop();
      }
    } catch (Exception e) {
      // stopping a demo server: nothing left to do
    }
  }

  /**
   * A sign-in form with one field, the login code. A right code starts a new session as the admin
   * (a new session id, so none planted earlier is reused) and goes to the console; a wrong one shows
   * the form again. The code is compared in constant time and never logged or echoed.
   */
  static final class LoginServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private final transient PrincipalRef admin;
    private final byte[] code;

    LoginServlet(PrincipalRef admin, String code) {
      this.admin = admin;
      this.code = code.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
      page(response, 200, "");
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
      String origin = request.getHeader("Origin");
      if (origin != null && !origin.equals("http://127.0.0.1:" + request.getServerPort())) {
        page(response, 403, "Sign in from this page.");
        return;
      }
      String given = request.getParameter("code");
      String normalized = given == null ? "" : given.trim().toUpperCase(java.util.Locale.ROOT);
      if (!MessageDigest.isEqual(code, normalized.getBytes(StandardCharsets.UTF_8))) {
        page(response, 401, "That is not the login code printed by 'latchkey console'.");
        return;
      }
      HttpSession old = request.getSession(false);
      if (old != null) {
        old.invalidate();
      }
      request.getSession(true).setAttribute(SIGNED_IN, admin);
      response.setStatus(303);
      response.setHeader("Location", "/latchkey/");
    }

    private void page(HttpServletResponse response, int status, String message) throws IOException {
      response.setStatus(status);
      response.setContentType("text/html; charset=utf-8");
      response.setHeader("Content-Security-Policy",
          "default-src 'none'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
      response.setHeader("X-Content-Type-Options", "nosniff");
      response.setHeader("Referrer-Policy", "no-referrer");
      response.setHeader("Cache-Control", "no-store");
      String html = "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
          + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Sign in · Latchkey</title></head>"
          + "<body><main><h1>Latchkey console</h1><p>Sign in as " + admin + " (account admin).</p>"
          + (message.isEmpty() ? "" : "<p role=\"alert\"><strong>" + message + "</strong></p>")
          + "<form method=\"post\" action=\"/login\"><p><label for=\"code\">Login code</label><br>"
          + "<input id=\"code\" name=\"code\" type=\"password\" autocomplete=\"off\" required autofocus></p>"
          + "<p><button type=\"submit\">Sign in</button></p></form></main></body></html>";
      byte[] bytes = html.getBytes(StandardCharsets.UTF_8);
      response.setContentLength(bytes.length);
      response.getOutputStream().write(bytes);
    }
  }
}
