/**
 * Latchkey core: the API ({@code dev.latchkey}) and the storage SPI for store implementors ({@code
 * dev.latchkey.spi}). The implementation ({@code dev.latchkey.internal}) is not exported.
 *
 * <p>Bouncy Castle is optional: it is needed only to import and verify bcrypt-hashed legacy tokens.
 * On the module path, resolve it ({@code requires org.bouncycastle.provider} in your module, or
 * {@code --add-modules org.bouncycastle.provider}) if you import tokens.
 */
module dev.latchkey {
  exports dev.latchkey;
  exports dev.latchkey.spi;

  requires com.github.benmanes.caffeine;
  requires java.sql; // only to read a store failure's SQLState for the log line (StoreFailures)
  requires org.slf4j;
  requires static org.bouncycastle.provider;
  requires static transitive org.jspecify; // @Nullable in signatures: for clients' compilers, not needed at run time
}
