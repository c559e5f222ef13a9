package dev.latchkey.servlet;

import dev.latchkey.TokenVerifier;
import dev.latchkey.VerificationResult;
import java.util.ArrayList;
import java.util.List;

/** Passes to a real verifier and remembers what it was given and what it answered. */
final class RecordingVerifier implements TokenVerifier {
  private final TokenVerifier delegate;
  private final List<String> presented = new ArrayList<>();
  private final List<VerificationResult> results = new ArrayList<>();

  RecordingVerifier(TokenVerifier delegate) {
    this.delegate = delegate;
  }

  @Override
  public VerificationResult verify(CharSequence token) {
    VerificationResult result = delegate.verify(token);
    synchronized (this) {
      presented.add(token == null ? null : token.toString());
      results.add(result);
    }
    return result;
  }

  synchronized void clear() {
    presented.clear();
    results.clear();
  }

  synchronized List<String> presented() {
    return List.copyOf(presented);
  }

  synchronized VerificationResult lastResult() {
    return results.isEmpty() ? null : results.get(results.size() - 1);
  }

  synchronized int calls() {
    return presented.size();
  }
}
