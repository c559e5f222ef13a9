/**
 * Latchkey core: the API ({@code dev.latchkey}) and the storage SPI for store implementors ({@code
 * dev.latchkey.spi}). The implementation ({@code dev.latchkey.internal}) is not exported.
 *
 * <p>Bouncy Castle is optional: it is needed only to import and verify bcrypt-hashed legacy tokens.
 * On the module path, resolve it ({@code requires org.bouncycastle.provider} in your module, or
 * {@code --add-modules org.bouncycastle.provider}) if you import tokens. Bucket4j is optional the same
 * way: needed only to enforce rate limits ({@code requires io.github.bucket4j.core}, or {@code
 * --add-modules io.github.bucket4j.core}).
 */
// Bucket4j 8.x ships no module-info: it is an automatic module (io.github.bucket4j.core), optional
// and read only when rate limits are used, so the lint against requiring automatic modules is
// silenced here rather than for the whole build.
@SuppressWarnings("requires-automatic")
module dev.latchkey {
  exports dev.latchkey;
  exports dev.latchkey.spi;

  requires com.github.benmanes.caffeine;
  requires java.sql; // only to read a store failure's SQLState for the log line (StoreFailures)
  requires org.slf4j;
  requires static org.bouncycastle.provider;
  requires static io.github.bucket4j.core; // only to enforce rate limits (RateLimit); absent, setting one fails clearly
  requires static transitive org.jspecify; // @Nullable in signatures: for clients' compilers, not needed at run time
}
