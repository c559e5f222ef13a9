/**
 * The management HTTP API and the web console as one Jakarta Servlet ({@code
 * dev.latchkey.web.LatchkeyWeb}). The Servlet API is the container's; the console's files and the
 * OpenAPI document are resources of this module, read by its own code.
 */
module dev.latchkey.web {
  exports dev.latchkey.web;

  requires transitive dev.latchkey;
  requires transitive jakarta.servlet;
  requires org.slf4j;
  requires static transitive org.jspecify; // @Nullable in signatures: for clients' compilers, not needed at run time
}
