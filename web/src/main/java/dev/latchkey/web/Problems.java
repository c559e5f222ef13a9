package dev.latchkey.web;

import dev.latchkey.ConfigurationException;
import dev.latchkey.ConflictException;
import dev.latchkey.InvalidArgumentException;
import dev.latchkey.LatchkeyException;
import dev.latchkey.LimitExceededException;
import dev.latchkey.NotFoundException;
import dev.latchkey.PermissionDeniedException;
import dev.latchkey.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns whatever a request ended with into the problem to answer. Latchkey's exceptions carry
 * messages written for the caller (never a secret: the {@link LatchkeyException} contract), so their
 * text becomes the detail; a store failure or anything unexpected is logged here and answered with a
 * generic detail, since its message may describe the server's insides.
 */
final class Problems {
  private static final Logger LOG = LoggerFactory.getLogger("dev.latchkey.web");

  private Problems() {}

  static Problem of(Throwable failure, String method, String route) {
    if (failure instanceof Problem p) {
      return p;
    }
    if (failure instanceof InvalidArgumentException) {
      return new Problem(Problem.Type.INVALID_ARGUMENT, failure.getMessage());
    }
    if (failure instanceof PermissionDeniedException) {
      return new Problem(Problem.Type.PERMISSION_DENIED, failure.getMessage());
    }
    if (failure instanceof NotFoundException) {
      return new Problem(Problem.Type.NOT_FOUND, failure.getMessage());
    }
    if (failure instanceof ConflictException) {
      return new Problem(Problem.Type.CONFLICT, failure.getMessage());
    }
    if (failure instanceof LimitExceededException) {
      return new Problem(Problem.Type.LIMIT_EXCEEDED, failure.getMessage());
    }
    if (failure instanceof ConfigurationException) {
      // The server is not set up for the operation (e.g. importing without legacy-token support).
      return new Problem(Problem.Type.NOT_CONFIGURED, failure.getMessage());
    }
    if (failure instanceof StoreException) {
      // A store keeps its messages free of secrets (the StoreException contract): log it, tell the caller less.
      LOG.warn("management request {} {} failed: the token store failed", method, route, failure);
      return new Problem(Problem.Type.STORE_UNAVAILABLE, "the token store is not available; try again later");
    }
    LOG.error("management request {} {} failed unexpectedly", method, route, failure);
    return new Problem(Problem.Type.INTERNAL_ERROR, "the request failed on the server; the server log has the details");
  }
}
