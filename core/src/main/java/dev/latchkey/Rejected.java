package dev.latchkey;

import java.util.EnumMap;
import java.util.Map;

/** A rejected token. One shared instance per reason, so rejecting allocates nothing. */
public final class Rejected implements VerificationResult {
  private static final Map<RejectReason, Rejected> INSTANCES = new EnumMap<>(RejectReason.class);

  static {
    for (RejectReason r : RejectReason.values()) {
      INSTANCES.put(r, new Rejected(r));
    }
  }

  private final RejectReason reason;

  private Rejected(RejectReason reason) {
    this.reason = reason;
  }

  public static Rejected of(RejectReason reason) {
    return INSTANCES.get(reason);
  }

  /** The internal reason, for logs and metrics; never send it to the client. */
  public RejectReason reason() {
    return reason;
  }

  @Override
  public boolean isValid() {
    return false;
  }

  @Override
  public String toString() {
    return "Rejected[" + reason + "]";
  }
}
