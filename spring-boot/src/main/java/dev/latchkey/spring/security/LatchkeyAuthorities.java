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
  public static final String DEFAULT_ROLE_PREFIX = "ROLE_";

  private final String rolePrefix;

  public LatchkeyAuthorities(String rolePrefix) {
    this.rolePrefix = rolePrefix == null ? "" : rolePrefix;
  }

  public static LatchkeyAuthorities defaults() {
    return new LatchkeyAuthorities(DEFAULT_ROLE_PREFIX);
  }

  public String rolePrefix() {
    return rolePrefix;
  }

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
