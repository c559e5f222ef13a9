package dev.latchkey.spi;

/** How many stored hashes (current and previous) use one scheme and pepper version. */
public record HashUsage(String scheme, int pepperVersion, long count) {}
