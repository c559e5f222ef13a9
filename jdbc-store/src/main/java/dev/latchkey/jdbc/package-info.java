/**
 * The JDBC store: {@link dev.latchkey.jdbc.JdbcTokenStore} (a {@link dev.latchkey.spi.TokenStore}
 * and {@link dev.latchkey.spi.ChangeFeed} over any {@link javax.sql.DataSource}), the opt-in schema
 * initializer {@link dev.latchkey.jdbc.JdbcSchema} and the supported {@link
 * dev.latchkey.jdbc.Dialect}s. Everything else in this package is package-private. Everything is
 * non-null unless marked {@link org.jspecify.annotations.Nullable @Nullable}.
 */
@NullMarked
package dev.latchkey.jdbc;

import org.jspecify.annotations.NullMarked;
