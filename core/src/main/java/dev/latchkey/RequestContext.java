package dev.latchkey;

import org.jspecify.annotations.Nullable;

/**
 * What the verifier may know about the request a token came with, beyond the token: for now, the
 * client's address, which a key's or token's allow-list is checked against. Build one per request
 * (the servlet filter does, from the peer address and trusted-proxy headers); reusing one is fine.
 *
 * @param clientAddress the client's address; null when unknown, in which case a credential with an
 *     allow-list is rejected
 */
public record RequestContext(@Nullable IpAddress clientAddress) {
  /** No client address: credentials with an allow-list do not pass. */
  public static final RequestContext NONE = new RequestContext(null);

  public static RequestContext from(IpAddress clientAddress) {
    return new RequestContext(Checks.notNull("client address", clientAddress));
  }

  /**
   * From a literal address (see {@link IpAddress#tryParse}); an unparseable or null address gives a
   * context without an address. Never throws, never resolves a name.
   */
  public static RequestContext fromAddress(@Nullable CharSequence address) {
    IpAddress a = IpAddress.tryParse(address);
    return a == null ? NONE : new RequestContext(a);
  }
}
