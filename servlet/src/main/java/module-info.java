/** A Jakarta Servlet 6 filter that authenticates requests with Latchkey tokens. */
module dev.latchkey.servlet {
  exports dev.latchkey.servlet;

  requires transitive dev.latchkey;
  requires transitive jakarta.servlet;
  requires org.slf4j;
  requires static transitive org.jspecify; // @Nullable in signatures: for clients' compilers, not needed at run time
}
