package dev.latchkey.spring.boot;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code latchkey.*} properties. Every default is Latchkey's own (see the README's "Limits and
 * defaults"); a property left unset leaves the builder's default in place. Values are checked when
 * the {@code Latchkey} bean is built, and a bad one fails startup naming the property.
 *
 * <p>The peppers are secret: give exactly one of {@code latchkey.peppers} (the keyset's text form,
 * typically from the environment variable {@code LATCHKEY_PEPPERS}), {@code latchkey.peppers-file}
 * or {@code latchkey.peppers-env}. Actuator's {@code env} and {@code configprops} endpoints always
 * mask them (see {@link LatchkeySanitizingFunction}).
 */
@ConfigurationProperties("latchkey")
public class LatchkeyProperties {
  /** Token prefix: 1-16 of [a-z0-9], starting with a letter; secret scanners match on it. Default "lk". */
  private String tokenPrefix;

  /**
   * The pepper keyset in text form, "1:<base64>,2:<base64>" (generate one with "latchkey peppers
   * generate"). Usually set through the environment variable LATCHKEY_PEPPERS. Never logged.
   */
  private String peppers;

  /** A file holding the pepper keyset in text form (instead of latchkey.peppers). */
  private Path peppersFile;

  /** The name of an environment variable holding the pepper keyset (instead of latchkey.peppers). */
  private String peppersEnv;

  /** What to do with the JDBC store's tables at startup. */
  private SchemaMode schema = SchemaMode.MIGRATE;

  /** How long another node's revocation may go unseen by this node. Default 1s. */
  private Duration stalenessBound;

  /** How long change-feed rows are kept. Default 24h. */
  private Duration changeFeedRetention;

  private final Limits limits = new Limits();
  private final Cache cache = new Cache();
  private final LastUsed lastUsed = new LastUsed();
  private final Security security = new Security();
  private final Web web = new Web();

  /** The JDBC store's schema handling at startup. */
  public enum SchemaMode {
    /** Create or upgrade the tables (idempotent, safe when many nodes start at once). */
    MIGRATE,
    /** Only check that the tables are current; fail startup otherwise (Flyway or Liquibase apply them). */
    VALIDATE,
    /** Touch nothing. */
    NONE
  }

  /** Management limits. */
  public static class Limits {
    /** API keys per principal. Default 100. */
    private Integer maxApiKeysPerPrincipal;
    /** Active, unexpired tokens per API key. Default 100. */
    private Integer maxTokensPerApiKey;
    /** Lifetime of a token when neither the request nor its key sets one. Default 90d. */
    private Duration defaultTokenLifetime;
    /** Longest token lifetime. Default 365d. */
    private Duration maxTokenLifetime;
    /** Longest rotation grace period. Default 7d. */
    private Duration maxRotationGrace;

    /**
     * {@code latchkey.limits.max-api-keys-per-principal}: API keys per principal. Default 100.
     *
     * @return the value, or null when unset (Latchkey's default applies)
     */
    public Integer getMaxApiKeysPerPrincipal() {
      return maxApiKeysPerPrincipal;
    }

    /**
     * Sets {@code latchkey.limits.max-api-keys-per-principal}.
     *
     * @param maxApiKeysPerPrincipal the new value
     */
    public void setMaxApiKeysPerPrincipal(Integer maxApiKeysPerPrincipal) {
      this.maxApiKeysPerPrincipal = maxApiKeysPerPrincipal;
    }

    /**
     * {@code latchkey.limits.max-tokens-per-api-key}: Active, unexpired tokens per API key. Default
     * 100.
     *
     * @return the value, or null when unset (Latchkey's default applies)
     */
    public Integer getMaxTokensPerApiKey() {
      return maxTokensPerApiKey;
    }

    /**
     * Sets {@code latchkey.limits.max-tokens-per-api-key}.
     *
     * @param maxTokensPerApiKey the new value
     */
    public void setMaxTokensPerApiKey(Integer maxTokensPerApiKey) {
      this.maxTokensPerApiKey = maxTokensPerApiKey;
    }

    /**
     * {@code latchkey.limits.default-token-lifetime}: Lifetime of a token when neither the request
     * nor its key sets one. Default 90d.
     *
     * @return the value, or null when unset (Latchkey's default applies)
     */
    public Duration getDefaultTokenLifetime() {
      return defaultTokenLifetime;
    }

    /**
     * Sets {@code latchkey.limits.default-token-lifetime}.
     *
     * @param defaultTokenLifetime the new value
     */
    public void setDefaultTokenLifetime(Duration defaultTokenLifetime) {
      this.defaultTokenLifetime = defaultTokenLifetime;
    }

    /**
     * {@code latchkey.limits.max-token-lifetime}: Longest token lifetime. Default 365d.
     *
     * @return the value, or null when unset (Latchkey's default applies)
     */
    public Duration getMaxTokenLifetime() {
      return maxTokenLifetime;
    }

    /**
     * Sets {@code latchkey.limits.max-token-lifetime}.
     *
     * @param maxTokenLifetime the new value
     */
    public void setMaxTokenLifetime(Duration maxTokenLifetime) {
      this.maxTokenLifetime = maxTokenLifetime;
    }

    /**
     * {@code latchkey.limits.max-rotation-grace}: Longest rotation grace period. Default 7d.
     *
     * @return the value, or null when unset (Latchkey's default applies)
     */
    public Duration getMaxRotationGrace() {
      return maxRotationGrace;
    }

    /**
     * Sets {@code latchkey.limits.max-rotation-grace}.
     *
     * @param maxRotationGrace the new value
     */
    public void setMaxRotationGrace(Duration maxRotationGrace) {
      this.maxRotationGrace = maxRotationGrace;
    }
  }

  /** The verification cache. */
  public static class Cache {
    /** Cached verification records (and, separately, principals). Default 100000. */
    private Long maximumSize;
    /** Unknown lookup ids remembered, in a cache of their own. Default 10000. */
    private Long negativeMaximumSize;
    /** How long an unknown lookup id is remembered as unknown. Default 5s. */
    private Duration negativeTtl;
    /** The longest a cached record is kept at all. Default 10m. */
    private Duration maxEntryAge;

    /**
     * {@code latchkey.cache.maximum-size}: Cached verification records (and, separately,
     * principals). Default 100000.
     *
     * @return the value, or null when unset (Latchkey's default applies)
     */
    public Long getMaximumSize() {
      return maximumSize;
    }

    /**
     * Sets {@code latchkey.cache.maximum-size}.
     *
     * @param maximumSize the new value
     */
    public void setMaximumSize(Long maximumSize) {
      this.maximumSize = maximumSize;
    }

    /**
     * {@code latchkey.cache.negative-maximum-size}: Unknown lookup ids remembered, in a cache of
     * their own. Default 10000.
     *
     * @return the value, or null when unset (Latchkey's default applies)
     */
    public Long getNegativeMaximumSize() {
      return negativeMaximumSize;
    }

    /**
     * Sets {@code latchkey.cache.negative-maximum-size}.
     *
     * @param negativeMaximumSize the new value
     */
    public void setNegativeMaximumSize(Long negativeMaximumSize) {
      this.negativeMaximumSize = negativeMaximumSize;
    }

    /**
     * {@code latchkey.cache.negative-ttl}: How long an unknown lookup id is remembered as unknown.
     * Default 5s.
     *
     * @return the value, or null when unset (Latchkey's default applies)
     */
    public Duration getNegativeTtl() {
      return negativeTtl;
    }

    /**
     * Sets {@code latchkey.cache.negative-ttl}.
     *
     * @param negativeTtl the new value
     */
    public void setNegativeTtl(Duration negativeTtl) {
      this.negativeTtl = negativeTtl;
    }

    /**
     * {@code latchkey.cache.max-entry-age}: The longest a cached record is kept at all. Default
     * 10m.
     *
     * @return the value, or null when unset (Latchkey's default applies)
     */
    public Duration getMaxEntryAge() {
      return maxEntryAge;
    }

    /**
     * Sets {@code latchkey.cache.max-entry-age}.
     *
     * @param maxEntryAge the new value
     */
    public void setMaxEntryAge(Duration maxEntryAge) {
      this.maxEntryAge = maxEntryAge;
    }
  }

  /** Last-used times, written to the store in batches. */
  public static class LastUsed {
    /** How often pending last-used times are written, and their resolution. Default 5s. */
    private Duration flushInterval;
    /** Pending last-used times that trigger an early write. Default 500. */
    private Integer batchSize;

    /**
     * {@code latchkey.last-used.flush-interval}: How often pending last-used times are written, and
     * their resolution. Default 5s.
     *
     * @return the value, or null when unset (Latchkey's default applies)
     */
    public Duration getFlushInterval() {
      return flushInterval;
    }

    /**
     * Sets {@code latchkey.last-used.flush-interval}.
     *
     * @param flushInterval the new value
     */
    public void setFlushInterval(Duration flushInterval) {
      this.flushInterval = flushInterval;
    }

    /**
     * {@code latchkey.last-used.batch-size}: Pending last-used times that trigger an early write.
     * Default 500.
     *
     * @return the value, or null when unset (Latchkey's default applies)
     */
    public Integer getBatchSize() {
      return batchSize;
    }

    /**
     * Sets {@code latchkey.last-used.batch-size}.
     *
     * @param batchSize the new value
     */
    public void setBatchSize(Integer batchSize) {
      this.batchSize = batchSize;
    }
  }

  /** The Spring Security integration. */
  public static class Security {
    /** Read "Authorization: Bearer <token>". */
    private boolean bearer = true;
    /** Also read a bare token from this header (for example X-Api-Key); none by default. */
    private String apiKeyHeader;
    /** Credential headers longer than this many characters are rejected as invalid. */
    private int maxHeaderLength = 8192;
    /** Prefix of the authorities made from the principal's roles (permissions get none). */
    private String rolePrefix = "ROLE_";

    /**
     * {@code latchkey.security.bearer}: Read "Authorization: Bearer &lt;token&gt;".
     *
     * @return the value
     */
    public boolean isBearer() {
      return bearer;
    }

    /**
     * Sets {@code latchkey.security.bearer}.
     *
     * @param bearer the new value
     */
    public void setBearer(boolean bearer) {
      this.bearer = bearer;
    }

    /**
     * {@code latchkey.security.api-key-header}: Also read a bare token from this header (for
     * example X-Api-Key); none by default.
     *
     * @return the value, or null when unset (Latchkey's default applies)
     */
    public String getApiKeyHeader() {
      return apiKeyHeader;
    }

    /**
     * Sets {@code latchkey.security.api-key-header}.
     *
     * @param apiKeyHeader the new value
     */
    public void setApiKeyHeader(String apiKeyHeader) {
      this.apiKeyHeader = apiKeyHeader;
    }

    /**
     * {@code latchkey.security.max-header-length}: Credential headers longer than this many
     * characters are rejected as invalid.
     *
     * @return the value
     */
    public int getMaxHeaderLength() {
      return maxHeaderLength;
    }

    /**
     * Sets {@code latchkey.security.max-header-length}.
     *
     * @param maxHeaderLength the new value
     */
    public void setMaxHeaderLength(int maxHeaderLength) {
      this.maxHeaderLength = maxHeaderLength;
    }

    /**
     * {@code latchkey.security.role-prefix}: Prefix of the authorities made from the principal's
     * roles (permissions get none).
     *
     * @return the value
     */
    public String getRolePrefix() {
      return rolePrefix;
    }

    /**
     * Sets {@code latchkey.security.role-prefix}.
     *
     * @param rolePrefix the new value
     */
    public void setRolePrefix(String rolePrefix) {
      this.rolePrefix = rolePrefix;
    }
  }

  /** The management API and web console (latchkey-web), mounted as a servlet. */
  public static class Web {
    /** Mount the management API and web console (needs latchkey-web on the class path). Off by default. */
    private boolean enabled = false;
    /** Where to mount them: the console at <path>/, the API at <path>/api/v1/. */
    private String path = "/latchkey";
    /** Serve the console pages as well as the API. */
    private boolean console = true;
    /**
     * Other origins whose pages may send changes for signed-in users, besides the server's own (as
     * browsers send it, e.g. https://admin.example.com). None by default.
     */
    private java.util.List<String> allowedOrigins = new java.util.ArrayList<>();

    /**
     * Returns whether the management API and console are mounted.
     *
     * @return whether the management API and console are mounted ({@code latchkey.web.enabled})
     */
    public boolean isEnabled() {
      return enabled;
    }

    /**
     * Sets whether to mount the management API and console.
     *
     * @param enabled whether to mount the management API and console
     */
    public void setEnabled(boolean enabled) {
      this.enabled = enabled;
    }

    /**
     * Returns the mount path.
     *
     * @return the mount path ({@code latchkey.web.path})
     */
    public String getPath() {
      return path;
    }

    /**
     * Sets the mount path.
     *
     * @param path the mount path
     */
    public void setPath(String path) {
      this.path = path;
    }

    /**
     * Returns whether the console pages are served.
     *
     * @return whether the console pages are served ({@code latchkey.web.console})
     */
    public boolean isConsole() {
      return console;
    }

    /**
     * Sets whether to serve the console pages.
     *
     * @param console whether to serve the console pages
     */
    public void setConsole(boolean console) {
      this.console = console;
    }

    /**
     * Returns the other allowed origins.
     *
     * @return the other allowed origins ({@code latchkey.web.allowed-origins})
     */
    public java.util.List<String> getAllowedOrigins() {
      return allowedOrigins;
    }

    /**
     * Sets the other allowed origins.
     *
     * @param allowedOrigins the other allowed origins
     */
    public void setAllowedOrigins(java.util.List<String> allowedOrigins) {
      this.allowedOrigins = allowedOrigins;
    }
  }

  /**
   * {@code latchkey.token-prefix}: Token prefix: 1-16 of [a-z0-9], starting with a letter; secret
   * scanners match on it. Default "lk".
   *
   * @return the value, or null when unset (Latchkey's default applies)
   */
  public String getTokenPrefix() {
    return tokenPrefix;
  }

  /**
   * Sets {@code latchkey.token-prefix}.
   *
   * @param tokenPrefix the new value
   */
  public void setTokenPrefix(String tokenPrefix) {
    this.tokenPrefix = tokenPrefix;
  }

  /**
   * {@code latchkey.peppers}: The pepper keyset in text form, "1:&lt;base64&gt;,2:&lt;base64&gt;"
   * (generate one with "latchkey peppers generate"). Usually set through the environment variable
   * LATCHKEY_PEPPERS. Never logged.
   *
   * @return the value, or null when unset (Latchkey's default applies)
   */
  public String getPeppers() {
    return peppers;
  }

  /**
   * Sets {@code latchkey.peppers}.
   *
   * @param peppers the new value
   */
  public void setPeppers(String peppers) {
    this.peppers = peppers;
  }

  /**
   * {@code latchkey.peppers-file}: A file holding the pepper keyset in text form (instead of
   * latchkey.peppers).
   *
   * @return the value, or null when unset (Latchkey's default applies)
   */
  public Path getPeppersFile() {
    return peppersFile;
  }

  /**
   * Sets {@code latchkey.peppers-file}.
   *
   * @param peppersFile the new value
   */
  public void setPeppersFile(Path peppersFile) {
    this.peppersFile = peppersFile;
  }

  /**
   * {@code latchkey.peppers-env}: The name of an environment variable holding the pepper keyset
   * (instead of latchkey.peppers).
   *
   * @return the value, or null when unset (Latchkey's default applies)
   */
  public String getPeppersEnv() {
    return peppersEnv;
  }

  /**
   * Sets {@code latchkey.peppers-env}.
   *
   * @param peppersEnv the new value
   */
  public void setPeppersEnv(String peppersEnv) {
    this.peppersEnv = peppersEnv;
  }

  /**
   * {@code latchkey.schema}: What to do with the JDBC store's tables at startup.
   *
   * @return the value
   */
  public SchemaMode getSchema() {
    return schema;
  }

  /**
   * Sets {@code latchkey.schema}.
   *
   * @param schema the new value
   */
  public void setSchema(SchemaMode schema) {
    this.schema = schema;
  }

  /**
   * {@code latchkey.staleness-bound}: How long another node's revocation may go unseen by this
   * node. Default 1s.
   *
   * @return the value, or null when unset (Latchkey's default applies)
   */
  public Duration getStalenessBound() {
    return stalenessBound;
  }

  /**
   * Sets {@code latchkey.staleness-bound}.
   *
   * @param stalenessBound the new value
   */
  public void setStalenessBound(Duration stalenessBound) {
    this.stalenessBound = stalenessBound;
  }

  /**
   * {@code latchkey.change-feed-retention}: How long change-feed rows are kept. Default 24h.
   *
   * @return the value, or null when unset (Latchkey's default applies)
   */
  public Duration getChangeFeedRetention() {
    return changeFeedRetention;
  }

  /**
   * Sets {@code latchkey.change-feed-retention}.
   *
   * @param changeFeedRetention the new value
   */
  public void setChangeFeedRetention(Duration changeFeedRetention) {
    this.changeFeedRetention = changeFeedRetention;
  }

  /**
   * The {@code latchkey.limits.*} properties.
   *
   * @return them, never null
   */
  public Limits getLimits() {
    return limits;
  }

  /**
   * The {@code latchkey.cache.*} properties.
   *
   * @return them, never null
   */
  public Cache getCache() {
    return cache;
  }

  /**
   * The {@code latchkey.last-used.*} properties.
   *
   * @return them, never null
   */
  public LastUsed getLastUsed() {
    return lastUsed;
  }

  /**
   * The {@code latchkey.security.*} properties.
   *
   * @return them, never null
   */
  public Security getSecurity() {
    return security;
  }

  /**
   * The {@code latchkey.web.*} properties.
   *
   * @return the management API and console settings
   */
  public Web getWeb() {
    return web;
  }

  /** Names the pepper source only, never its value. */
  @Override
  public String toString() {
    return "LatchkeyProperties[tokenPrefix=" + tokenPrefix + ", peppers=" + (peppers != null ? "(set)" : "-")
        + ", peppersFile=" + peppersFile + ", peppersEnv=" + peppersEnv + ", schema=" + schema + "]";
  }
}
