package dev.onramp.sandbox.materialize.tunnel;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * The two key pairs of one SSH TUNNEL connection. Materialize generates an ed25519 pair per
 * connection and shows them in {@code mz_ssh_tunnel_connections} as OpenSSH public keys ending in
 * {@code materialize} (shared/reference/materialize.md); the second one exists for key rotation.
 * The private halves stay inside the stand-in (PKCS#8, base64), as they stay inside Materialize.
 */
public record SshKeyPairs(
    String publicKey1, String privateKey1, String publicKey2, String privateKey2) {

  private static final String COMMENT = " materialize";

  /** Two new ed25519 key pairs. */
  public static SshKeyPairs generate() {
    KeyPair one = newPair();
    KeyPair two = newPair();
    return new SshKeyPairs(publicText(one), privateText(one), publicText(two), privateText(two));
  }

  /**
   * The pair Materialize authenticates with: the primary (first) one. Materialize's tunnel uses the
   * primary key pair of the connection only; the second is there so that a rotation does not cut
   * the tunnel (Materialize docs, ALTER CONNECTION ... ROTATE KEYS).
   */
  public KeyPair primary() {
    return pair(publicKey1, privateKey1);
  }

  @Override
  public String toString() {
    return "SshKeyPairs[" + publicKey1 + ", " + publicKey2 + ", <private keys>]";
  }

  private static KeyPair newPair() {
    try {
      return KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate an ed25519 key pair", e);
    }
  }

  private static String publicText(KeyPair pair) {
    return PublicKeyEntry.toString(pair.getPublic()) + COMMENT;
  }

  private static String privateText(KeyPair pair) {
    return Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded());
  }

  private static KeyPair pair(String publicText, String privateText) {
    try {
      PublicKey pub =
          AuthorizedKeyEntry.parseAuthorizedKeyEntry(publicText)
              .resolvePublicKey(null, PublicKeyEntryResolver.FAILING);
      KeyFactory factory = SecurityUtils.getKeyFactory(SecurityUtils.EDDSA);
      PrivateKey key =
          factory.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(privateText)));
      return new KeyPair(pub, key);
    } catch (java.io.IOException | GeneralSecurityException e) {
      throw new IllegalStateException("cannot read a stored SSH key pair", e);
    }
  }
}
