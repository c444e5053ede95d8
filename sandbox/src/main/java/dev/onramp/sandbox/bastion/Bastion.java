package dev.onramp.sandbox.bastion;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.PublicKey;
import java.util.List;
import org.apache.sshd.common.config.keys.AuthorizedKeyEntry;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntryResolver;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.forward.AcceptAllForwardingFilter;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;

/**
 * A bastion host for tests and the demo: an SSH server (MINA SSHD) on loopback that lets in one
 * user whose public key is in its {@code ~user/.ssh/authorized_keys} file, and forwards TCP for
 * them ({@code ssh -L}), which is all an SSH TUNNEL connection asks of a bastion. No passwords, no
 * shell. The file is read on every login, as OpenSSH's sshd does, so a key added by a person takes
 * effect at once.
 */
public final class Bastion implements AutoCloseable {

  private final SshServer server;
  private final String user;
  private final Path authorizedKeys;

  private Bastion(SshServer server, String user, Path authorizedKeys) {
    this.server = server;
    this.user = user;
    this.authorizedKeys = authorizedKeys;
  }

  /** A bastion on a free loopback port whose only user is {@code user}; state under {@code dir}. */
  public static Bastion start(Path dir, String user) throws IOException {
    Path home = dir.resolve("home").resolve(user).resolve(".ssh");
    Files.createDirectories(home);
    Path keys = home.resolve("authorized_keys");
    if (!Files.exists(keys)) {
      Files.createFile(keys);
    }
    SshServer server = SshServer.setUpDefaultServer();
    server.setHost("127.0.0.1");
    server.setPort(0);
    server.setKeyPairProvider(new SimpleGeneratorHostKeyProvider(dir.resolve("host_key")));
    server.setPasswordAuthenticator(null);
    server.setKeyboardInteractiveAuthenticator(null);
    server.setPublickeyAuthenticator(
        (username, key, session) -> username.equals(user) && authorized(keys, key));
    server.setForwardingFilter(AcceptAllForwardingFilter.INSTANCE);
    server.start();
    return new Bastion(server, user, keys);
  }

  private static boolean authorized(Path file, PublicKey key) {
    try {
      List<AuthorizedKeyEntry> entries = AuthorizedKeyEntry.readAuthorizedKeys(file);
      for (AuthorizedKeyEntry entry : entries) {
        PublicKey allowed = entry.resolvePublicKey(null, PublicKeyEntryResolver.IGNORING);
        if (allowed != null && KeyUtils.compareKeys(allowed, key)) {
          return true;
        }
      }
      return false;
    } catch (IOException | java.security.GeneralSecurityException e) {
      return false;
    }
  }

  public String host() {
    return "127.0.0.1";
  }

  public int port() {
    return server.getPort();
  }

  public String user() {
    return user;
  }

  /** SSH sessions open now (a tunnel in use keeps one open). */
  public int activeSessions() {
    return server.getActiveSessions().size();
  }

  /** {@code ~user/.ssh/authorized_keys}. */
  public Path authorizedKeysFile() {
    return authorizedKeys;
  }

  /** Appends a public key line to authorized_keys, as the person following onramp's notice does. */
  public void authorize(String publicKeyLine) {
    try {
      Files.writeString(authorizedKeys, publicKeyLine.strip() + "\n", StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws IOException {
    server.stop(true);
  }
}
