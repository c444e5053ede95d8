package dev.onramp.sandbox.materialize;

import dev.onramp.sandbox.materialize.upstream.UpstreamEndpoint;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running {@link SourceIngestion}s, one per PostgreSQL source. */
final class Ingestions implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Ingestions.class);

  private final Catalog catalog;
  private final Faults faults;
  private final Map<String, SourceIngestion> running = new ConcurrentHashMap<>();

  Ingestions(Catalog catalog, Faults faults) {
    this.catalog = catalog;
    this.faults = faults;
  }

  /** Starts every source in the catalog (after a restart of the stand-in). */
  void startAll() throws SQLException {
    List<String> ids;
    try (Connection c = catalog.connect()) {
      ids = Jdbc.strings(c, "SELECT id FROM mz_standin.pg_sources ORDER BY id");
    }
    ids.forEach(this::start);
  }

  synchronized void start(String sourceId) {
    SourceIngestion ingestion = new SourceIngestion(sourceId, catalog, faults);
    SourceIngestion previous = running.put(sourceId, ingestion);
    if (previous != null) {
      previous.stop();
    }
    ingestion.start();
  }

  /** Restarts a source so that it picks up added or dropped subsources. */
  void restart(String sourceId) {
    stop(sourceId);
    start(sourceId);
  }

  synchronized void stop(String sourceId) {
    SourceIngestion ingestion = running.remove(sourceId);
    if (ingestion != null) {
      ingestion.stop();
    }
  }

  /** Restarts the sources whose connection uses {@code secretId} (after ALTER SECRET). */
  void restartUsingSecret(String secretId) throws SQLException {
    List<String> ids;
    try (Connection c = catalog.connect()) {
      ids =
          Jdbc.strings(
              c,
              "SELECT s.id FROM mz_standin.pg_sources s JOIN mz_standin.pg_connections p ON"
                  + " p.id = s.connection_id WHERE p.password_secret_id = ?",
              secretId);
    }
    ids.forEach(this::restart);
  }

  /**
   * Drops a source's slot upstream like Materialize's drop_replication_slots: terminate the
   * walsender still holding it, then {@code DROP_REPLICATION_SLOT ... WAIT}; a missing slot is
   * fine. Failures (e.g. the upstream is down) are logged, not raised: the source is gone either
   * way and the slot must then be dropped by hand.
   */
  void dropSlot(UpstreamEndpoint endpoint, String slot) {
    try (Connection c = endpoint.connect(faults, false);
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT pg_terminate_backend(active_pid) FROM pg_replication_slots WHERE"
                    + " slot_name = ? AND active_pid IS NOT NULL")) {
      ps.setString(1, slot);
      ps.executeQuery().close();
    } catch (SQLException | MzSqlException e) {
      LOG.warn("cannot terminate the holder of slot {}: {}", slot, e.getMessage());
    }
    try (Connection c = endpoint.connect(faults, true);
        Statement st = c.createStatement()) {
      st.execute("DROP_REPLICATION_SLOT \"" + slot + "\" WAIT");
    } catch (SQLException | MzSqlException e) {
      if (e.getMessage() == null || !e.getMessage().contains("does not exist")) {
        LOG.warn("cannot drop replication slot {}: {}", slot, e.getMessage());
      }
    }
  }

  @Override
  public void close() {
    new ArrayList<>(running.keySet()).forEach(this::stop);
  }
}
