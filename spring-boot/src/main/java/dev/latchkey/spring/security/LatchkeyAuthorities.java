package dev.latchkey.spring.security;

import dev.latchkey.Verified;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * The Spring Security authorities of a verified token: each effective permission as is ({@code
 * hasAuthority('deploy')}) and each role with a prefix, default {@code ROLE_} ({@code
 * hasRole('admin')}). Permissions and roles share no namespace in Latchkey, so the prefix is what
 * keeps a permission named like a role from granting it.
 */
public final class LatchkeyAuthorities {
  /** Spring Security's own role prefix, which {@code hasRole} expects. */
  public static final String DEFAULT_ROLE_PREFIX = "ROLE_";

  private final String rolePrefix;

  /**
   * Authorities with the given role prefix.
   *
   * @param rolePrefix put before each role's name; null or empty for none
   */
  public LatchkeyAuthorities(String rolePrefix) {
    this.rolePrefix = rolePrefix == null ? "" : rolePrefix;
  }

  /**
   * Authorities with the prefix {@value #DEFAULT_ROLE_PREFIX}.
   *
   * @return the default mapping
   */
  public static LatchkeyAuthorities defaults() {
    return new LatchkeyAuthorities(DEFAULT_ROLE_PREFIX);
  }

  /**
   * The prefix put before each role's name.
   *
   * @return the prefix, empty for none
   */
  public String rolePrefix() {
    return rolePrefix;
  }

  /**
   * The authorities of a verified token.
   *
   * @param verified a verification result
   * @return its permissions as they are, then its roles with the prefix; unmodifiable
   */
  public List<GrantedAuthority> of(Verified verified) {
    List<GrantedAuthority> authorities = new ArrayList<>(verified.permissions().size() + verified.roles().size());
    for (String permission : verified.permissions()) {
      authorities.add(new SimpleGrantedAuthority(permission));
    }
    for (String role : verified.roles()) {
      authorities.add(new SimpleGrantedAuthority(rolePrefix + role));
    }
    return Collections.unmodifiableList(authorities);
  }

  @Override
  public String toString() {
    return "LatchkeyAuthorities[rolePrefix=" + rolePrefix + "]";
  }
}
