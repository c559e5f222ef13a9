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

    public Integer getMaxApiKeysPerPrincipal() {
      return maxApiKeysPerPrincipal;
    }

    public void setMaxApiKeysPerPrincipal(Integer maxApiKeysPerPrincipal) {
      this.maxApiKeysPerPrincipal = maxApiKeysPerPrincipal;
    }

    public Integer getMaxTokensPerApiKey() {
      return maxTokensPerApiKey;
    }

    public void setMaxTokensPerApiKey(Integer maxTokensPerApiKey) {
      this.maxTokensPerApiKey = maxTokensPerApiKey;
    }

    public Duration getDefaultTokenLifetime() {
      return defaultTokenLifetime;
    }

    public void setDefaultTokenLifetime(Duration defaultTokenLifetime) {
      this.defaultTokenLifetime = defaultTokenLifetime;
    }

    public Duration getMaxTokenLifetime() {
      return maxTokenLifetime;
    }

    public void setMaxTokenLifetime(Duration maxTokenLifetime) {
      this.maxTokenLifetime = maxTokenLifetime;
    }

    public Duration getMaxRotationGrace() {
      return maxRotationGrace;
    }

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

    public Long getMaximumSize() {
      return maximumSize;
    }

    public void setMaximumSize(Long maximumSize) {
      this.maximumSize = maximumSize;
    }

    public Long getNegativeMaximumSize() {
      return negativeMaximumSize;
    }

    public void setNegativeMaximumSize(Long negativeMaximumSize) {
      this.negativeMaximumSize = negativeMaximumSize;
    }

    public Duration getNegativeTtl() {
      return negativeTtl;
    }

    public void setNegativeTtl(Duration negativeTtl) {
      this.negativeTtl = negativeTtl;
    }

    public Duration getMaxEntryAge() {
      return maxEntryAge;
    }

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

    public Duration getFlushInterval() {
      return flushInterval;
    }

    public void setFlushInterval(Duration flushInterval) {
      this.flushInterval = flushInterval;
    }

    public Integer getBatchSize() {
      return batchSize;
    }

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

    public boolean isBearer() {
      return bearer;
    }

    public void setBearer(boolean bearer) {
      this.bearer = bearer;
    }

    public String getApiKeyHeader() {
      return apiKeyHeader;
    }

    public void setApiKeyHeader(String apiKeyHeader) {
      this.apiKeyHeader = apiKeyHeader;
    }

    public int getMaxHeaderLength() {
      return maxHeaderLength;
    }

    public void setMaxHeaderLength(int maxHeaderLength) {
      this.maxHeaderLength = maxHeaderLength;
    }

    public String getRolePrefix() {
      return rolePrefix;
    }

    public void setRolePrefix(String rolePrefix) {
      this.rolePrefix = rolePrefix;
    }
  }

  public String getTokenPrefix() {
    return tokenPrefix;
  }

  public void setTokenPrefix(String tokenPrefix) {
    this.tokenPrefix = tokenPrefix;
  }

  public String getPeppers() {
    return peppers;
  }

  public void setPeppers(String peppers) {
    this.peppers = peppers;
  }

  public Path getPeppersFile() {
    return peppersFile;
  }

  public void setPeppersFile(Path peppersFile) {
    this.peppersFile = peppersFile;
  }

  public String getPeppersEnv() {
    return peppersEnv;
  }

  public void setPeppersEnv(String peppersEnv) {
    this.peppersEnv = peppersEnv;
  }

  public SchemaMode getSchema() {
    return schema;
  }

  public void setSchema(SchemaMode schema) {
    this.schema = schema;
  }

  public Duration getStalenessBound() {
    return stalenessBound;
  }

  public void setStalenessBound(Duration stalenessBound) {
    this.stalenessBound = stalenessBound;
  }

  public Duration getChangeFeedRetention() {
    return changeFeedRetention;
  }

  public void setChangeFeedRetention(Duration changeFeedRetention) {
    this.changeFeedRetention = changeFeedRetention;
  }

  public Limits getLimits() {
    return limits;
  }

  public Cache getCache() {
    return cache;
  }

  public LastUsed getLastUsed() {
    return lastUsed;
  }

  public Security getSecurity() {
    return security;
  }

  /** Names the pepper source only, never its value. */
  @Override
  public String toString() {
    return "LatchkeyProperties[tokenPrefix=" + tokenPrefix + ", peppers=" + (peppers != null ? "(set)" : "-")
        + ", peppersFile=" + peppersFile + ", peppersEnv=" + peppersEnv + ", schema=" + schema + "]";
  }
}
