/** An in-memory {@code TokenStore} with a change feed, for tests and single processes. */
module dev.latchkey.memory {
  exports dev.latchkey.memory;

  requires transitive dev.latchkey;
  requires static transitive org.jspecify; // @Nullable in signatures: for clients' compilers, not needed at run time
}
