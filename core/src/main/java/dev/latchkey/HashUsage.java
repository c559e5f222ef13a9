package dev.latchkey;

/**
 * How many stored hashes (current and previous) use one scheme and pepper version. Returned by
 * {@link TokenManager#hashUsage}; tells when an old pepper can leave the keyset.
 */
public record HashUsage(String scheme, int pepperVersion, long count) {}
