package dev.onramp.worker;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.onramp.activities.pg.PgTls;

/**
 * How the worker checks the upstream databases' certificates ({@code upstream:} in the worker
 * configuration). Default: {@code verify-full} against the RDS global bundle at {@value
 * PgTls#DEFAULT_RDS_BUNDLE}; {@code require} (no verification) only when set here, with a warning
 * in the log.
 */
public class UpstreamTlsConfig {
  @JsonProperty public String sslMode = "verify-full";
  @JsonProperty public String sslRootCert = PgTls.DEFAULT_RDS_BUNDLE;

  /** The setting, or a start-up failure naming the key when the mode or the bundle is wrong. */
  public PgTls toTls() {
    return checked(new PgTls(sslMode, sslRootCert), "upstream");
  }

  /** Refuses a TLS setting with a problem, naming its configuration key. */
  static PgTls checked(PgTls tls, String key) {
    String problem = tls.problem(key);
    if (problem != null) {
      throw new IllegalStateException("worker configuration: " + problem);
    }
    return tls;
  }
}
