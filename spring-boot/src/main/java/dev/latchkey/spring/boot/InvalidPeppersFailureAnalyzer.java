package dev.latchkey.spring.boot;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns {@link InvalidPeppersException} into Spring Boot's "APPLICATION FAILED TO START" report. */
class InvalidPeppersFailureAnalyzer extends AbstractFailureAnalyzer<InvalidPeppersException> {
  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, InvalidPeppersException cause) {
    String message = cause.getMessage();
    String problem = message.endsWith(InvalidPeppersException.ACTION)
        ? message.substring(0, message.length() - InvalidPeppersException.ACTION.length()).trim()
        : message;
    return new FailureAnalysis("Latchkey has no usable pepper keyset: " + problem, InvalidPeppersException.ACTION,
        cause);
  }
}
