package dev.onramp.worker.auth;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code auth:} in the worker's YAML. Bearer tokens, each with a name: {@code tokens} as {@code
 * name1:token1,name2:token2} (normally {@code ${ONRAMP_API_TOKENS}}), or {@code tokensFile}, a file
 * with one {@code name token} per line (normally {@code ${ONRAMP_API_TOKENS_FILE}}). Both may be
 * set; a name may appear once.
 */
public class AuthConfig {
  @JsonProperty public String tokens;
  @JsonProperty public String tokensFile;
}
