package dev.latchkey.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

/** What every Spring path must answer to a token over its rate limit: the servlet filter's 429. */
public final class RateLimitedAnswers {
  private RateLimitedAnswers() {}

  /**
   * A 429 with {@code Retry-After} within {@code (0, maxRetryAfter]}, the draft's {@code RateLimit-Policy}
   * as given and {@code RateLimit} naming the same policy and wait, no challenge, a fixed body.
   */
  public static void assertRateLimited(HttpResponse<String> r, String policy, long maxRetryAfter, String token) {
    assertThat(r.statusCode()).isEqualTo(429);
    long retryAfter = Long.parseLong(r.headers().firstValue("Retry-After").orElseThrow());
    assertThat(retryAfter).isBetween(1L, maxRetryAfter);
    assertThat(r.headers().firstValue("RateLimit-Policy")).contains(policy);
    String name = policy.substring(0, policy.indexOf(';'));
    assertThat(r.headers().firstValue("RateLimit")).contains(name + ";r=0;t=" + retryAfter);
    assertThat(r.headers().firstValue("Cache-Control")).contains("no-store");
    assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
    assertThat(r.headers().firstValue("WWW-Authenticate")).isEmpty();
    assertThat(r.body()).isEqualTo("{\"error\":\"rate_limited\"}").doesNotContain(token);
    assertThat(r.headers().allValues("Set-Cookie")).as("no session cookie").isEmpty();
  }
}
