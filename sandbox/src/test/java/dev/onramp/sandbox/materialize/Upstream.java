package dev.onramp.sandbox.materialize;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Base64;
import java.util.concurrent.TimeUnit;

/**
 * An upstream PostgreSQL prepared the way the seed (ingest-data-from-amazon-rds.md) prepares RDS:
 * tables with REPLICA IDENTITY FULL, a publication, and a {@code materialize} user with
 * replication, CONNECT, USAGE and SELECT. Password authentication is enforced for everyone but the
 * {@code postgres} superuser used by the tests themselves.
 */
final class Upstream implements AutoCloseable {

  static final String DB = "shop";
  static final String USER = "materialize";
  static final String PASSWORD = "mz-secret-pw";

  private EmbeddedPostgres pg;
  private final EmbeddedPostgres.Builder builder;
  private final Path data;

  private Upstream(EmbeddedPostgres.Builder builder, Path data) throws IOException {
    this.builder = builder;
    this.data = data;
    this.pg = startOwn(builder, data);
  }

  /**
   * Starts the server and makes sure the one answering on its port is this one. The port is free
   * when chosen but can be taken (by another test JVM's server) before the postmaster binds it; the
   * postmaster then exits, yet the builder's readiness check, which only connects, is answered by
   * the other server, and the tests would run against it (seen once: "server does not support TLS"
   * from a server that was not ours). Listening on 127.0.0.1 only makes a taken port fatal to the
   * postmaster; its data directory tells ours apart. Up to three ports are tried.
   */
  private static EmbeddedPostgres startOwn(EmbeddedPostgres.Builder builder, Path data)
      throws IOException {
    builder.setServerConfig("listen_addresses", "127.0.0.1");
    String problem = null;
    for (int attempt = 0; attempt < 3; attempt++) {
      EmbeddedPostgres started;
      try {
        started = builder.start();
      } catch (IOException | RuntimeException e) {
        problem = e.toString();
        continue;
      }
      try (Connection c =
              DriverManager.getConnection(
                  "jdbc:postgresql://127.0.0.1:" + started.getPort() + "/postgres?user=postgres");
          Statement st = c.createStatement();
          ResultSet rs = st.executeQuery("SHOW data_directory")) {
        rs.next();
        if (Path.of(rs.getString(1)).toRealPath().equals(data.toRealPath())) {
          return started;
        }
        problem = "port " + started.getPort() + " is answered by the server of " + rs.getString(1);
      } catch (SQLException | IOException e) {
        problem = "port " + started.getPort() + " is not answered by this server: " + e;
      }
      try {
        started.close();
      } catch (IOException | RuntimeException stoppedAlready) {
        // The postmaster exited when its port was taken.
      }
    }
    throw new IOException("upstream PostgreSQL did not start on a port of its own: " + problem);
  }

  /** Stops the server, as an outage would. */
  void stop() throws IOException {
    pg.close();
  }

  /** Starts it again on the same port with the same data. */
  void restart() throws IOException {
    builder.setCleanDataDirectory(false).setPort(port);
    pg = startOwn(builder, data);
  }

  /** A logical-replication upstream, with SSL when {@code ssl} is true. */
  static Upstream start(Path dir, boolean logical, boolean ssl) throws Exception {
    Path data = dir.resolve("upstream-data");
    Path tls = dir.resolve("upstream-tls");
    if (ssl) {
      makeCertificate(tls);
    }
    EmbeddedPostgres.Builder b =
        EmbeddedPostgres.builder()
            .setDataDirectory(data)
            .setCleanDataDirectory(false)
            .setServerConfig("wal_level", logical ? "logical" : "replica")
            .setServerConfig("max_replication_slots", "10")
            .setServerConfig("max_wal_senders", "10")
            .setServerConfig("password_encryption", "scram-sha-256")
            .setDataDirectoryCustomizer(
                d -> {
                  try {
                    Files.writeString(
                        d.toPath().resolve("pg_hba.conf"),
                        String.join(
                            "\n",
                            "local all all trust",
                            "host all postgres 127.0.0.1/32 trust",
                            "host all postgres ::1/128 trust",
                            "host all all 127.0.0.1/32 scram-sha-256",
                            "host all all ::1/128 scram-sha-256",
                            "host replication all 127.0.0.1/32 scram-sha-256",
                            "host replication all ::1/128 scram-sha-256",
                            ""));
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                });
    if (ssl) {
      b.setServerConfig("ssl", "on")
          .setServerConfig("ssl_cert_file", tls.resolve("server.crt").toString())
          .setServerConfig("ssl_key_file", tls.resolve("server.key").toString());
    }
    Upstream u = new Upstream(b, data);
    u.port = u.pg.getPort();
    u.prepare();
    return u;
  }

  /** A self-signed certificate in PEM files, made with keytool and exported in Java. */
  private static void makeCertificate(Path dir) throws Exception {
    Files.createDirectories(dir);
    Path store = dir.resolve("upstream.p12");
    Files.deleteIfExists(store);
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "pg",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-validity",
                "30",
                "-dname",
                "CN=localhost",
                "-storetype",
                "PKCS12",
                "-keystore",
                store.toString(),
                "-storepass",
                "changeit",
                "-keypass",
                "changeit")
            .redirectErrorStream(true)
            .start();
    p.getInputStream().readAllBytes();
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("keytool failed");
    }
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      ks.load(in, "changeit".toCharArray());
    }
    Certificate cert = ks.getCertificate("pg");
    byte[] key = ks.getKey("pg", "changeit".toCharArray()).getEncoded();
    Base64.Encoder enc = Base64.getMimeEncoder(64, "\n".getBytes());
    Files.writeString(
        dir.resolve("server.crt"),
        "-----BEGIN CERTIFICATE-----\n"
            + enc.encodeToString(cert.getEncoded())
            + "\n-----END CERTIFICATE-----\n");
    Path keyFile = dir.resolve("server.key");
    Files.writeString(
        keyFile,
        "-----BEGIN PRIVATE KEY-----\n"
            + enc.encodeToString(key)
            + "\n-----END PRIVATE KEY-----\n");
    Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
  }

  private void prepare() throws SQLException {
    try (Connection c = admin("postgres");
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + DB);
      st.execute("CREATE USER " + USER + " PASSWORD '" + PASSWORD + "' REPLICATION");
      st.execute("CREATE USER norepl PASSWORD '" + PASSWORD + "'");
    }
    try (Connection c = admin(DB);
        Statement st = c.createStatement()) {
      st.execute(
          "CREATE TABLE orders (id int PRIMARY KEY, item text NOT NULL, qty int, price numeric(10,2),"
              + " placed_at timestamptz DEFAULT now(), paid boolean DEFAULT false, meta jsonb)");
      st.execute("CREATE TABLE customers (id int PRIMARY KEY, name text)");
      st.execute("CREATE TABLE not_published (id int PRIMARY KEY)");
      st.execute("CREATE TABLE no_ri (id int PRIMARY KEY)");
      st.execute("CREATE TABLE hidden (id int PRIMARY KEY)");
      for (String t : new String[] {"orders", "customers", "not_published", "hidden"}) {
        st.execute("ALTER TABLE " + t + " REPLICA IDENTITY FULL");
      }
      st.execute(
          "INSERT INTO orders (id, item, qty, price, meta) VALUES (1, 'apple', 3, 1.50,"
              + " '{\"a\": 1}'), (2, 'pear', 5, 2.25, NULL)");
      st.execute("INSERT INTO customers VALUES (1, 'ada'), (2, 'grace')");
      st.execute("CREATE PUBLICATION mz_source FOR TABLE orders, customers");
      st.execute("CREATE PUBLICATION pub_no_ri FOR TABLE no_ri");
      st.execute("CREATE PUBLICATION pub_hidden FOR TABLE hidden");
      for (String u : new String[] {USER, "norepl"}) {
        st.execute("GRANT CONNECT ON DATABASE " + DB + " TO " + u);
        st.execute("GRANT USAGE ON SCHEMA public TO " + u);
        st.execute("GRANT SELECT ON orders, customers, not_published, no_ri TO " + u);
      }
    }
  }

  private int port;

  int port() {
    return port;
  }

  Connection admin(String db) throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://127.0.0.1:" + port() + "/" + db + "?user=postgres");
  }

  Connection admin() throws SQLException {
    return admin(DB);
  }

  void exec(String sql) throws SQLException {
    try (Connection c = admin();
        Statement st = c.createStatement()) {
      st.execute(sql);
    }
  }

  /** Names of the replication slots on the server. */
  java.util.List<String> slots() throws SQLException {
    java.util.List<String> out = new java.util.ArrayList<>();
    try (Connection c = admin();
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT slot_name FROM pg_replication_slots")) {
      while (rs.next()) {
        out.add(rs.getString(1));
      }
    }
    return out;
  }

  @Override
  public void close() throws IOException {
    pg.close();
  }
}
