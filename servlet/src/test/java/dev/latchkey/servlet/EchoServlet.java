package dev.latchkey.servlet;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.PrintWriter;
import java.security.Principal;

/** The application behind the filter: reports what it sees of the authenticated request. */
final class EchoServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;

  @Override
  protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
    resp.setContentType("text/plain;charset=utf-8");
    Principal principal = req.getUserPrincipal();
    PrintWriter out = resp.getWriter();
    out.println("principal=" + (principal == null ? "none" : principal.getName()));
    out.println("principalClass=" + (principal == null ? "none" : principal.getClass().getSimpleName()));
    out.println("remoteUser=" + req.getRemoteUser());
    out.println("authType=" + req.getAuthType());
    out.println("role.deployer=" + req.isUserInRole("deployer"));
    out.println("role.admin=" + req.isUserInRole("admin"));
    out.println("role.any=" + req.isUserInRole("**"));
    out.println("permission.deploy=" + LatchkeyRequest.hasPermission(req, "deploy"));
    out.println("permission.admin=" + LatchkeyRequest.hasPermission(req, "admin"));
    out.println("permission.deployer=" + LatchkeyRequest.hasPermission(req, "deployer")); // a role's name
    out.println("role.deploy=" + req.isUserInRole("deploy")); // a permission's name
    out.println("verified.token=" + LatchkeyRequest.verified(req).map(v -> v.token().toString()).orElse("none"));
    out.println("path=" + PermissionRules.pathInContext(req));
  }
}
