package dev.onramp.sandbox.materialize;

import dev.onramp.sandbox.materialize.upstream.UpstreamEndpoint;
import dev.onramp.sandbox.materialize.wire.PgMessage;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;
import org.postgresql.copy.CopyManager;
import org.postgresql.copy.CopyOut;
import org.postgresql.replication.LogSequenceNumber;
import org.postgresql.replication.PGReplicationStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ingests one PostgreSQL source the way Materialize does (MZ:src/storage/src/source/postgres): a
 * logical replication slot {@code materialize_<hex>} created with an exported snapshot, a
 * consistent snapshot of every table in that snapshot, then {@code START_REPLICATION} with pgoutput
 * (proto_version 1) and the source's publication. Changes are applied to the subsource tables in
 * the backing PostgreSQL, one backing transaction per upstream transaction together with the
 * committed LSN, so a restart resumes exactly where it stopped. Tables added later are snapshotted
 * through a temporary slot, which is why Materialize wants two free slots.
 */
final class SourceIngestion implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(SourceIngestion.class);

  /** Materialize's runtime error when an UPDATE/DELETE arrives without the old row. */
  static final String OLD_ROW_MISSING =
      "old row missing from replication stream. Did you forget to set REPLICA IDENTITY to FULL"
          + " for your table?";

  /** One subsource (legacy) or table (v26+) fed by this source. */
  record Output(
      String id, String name, String upstreamSchema, String upstreamTable, Long snapshotLsn) {}

  /** What the ingestion needs to know about its source, read from the catalog. */
  record SourceState(
      String id,
      String name,
      String progressTable,
      UpstreamEndpoint endpoint,
      String publication,
      String slot,
      Long committedLsn,
      List<Output> outputs) {}

  private final String sourceId;
  private final Catalog catalog;
  private final Faults faults;
  private volatile boolean stopped;
  private volatile Thread thread;
  private volatile Connection replication;
  private String lastStatus;
  private String lastError;

  // statistics
  private long messagesReceived;
  private long bytesReceived;
  private long updatesCommitted;
  private long offsetKnown;
  private long offsetCommitted;

  SourceIngestion(String sourceId, Catalog catalog, Faults faults) {
    this.sourceId = sourceId;
    this.catalog = catalog;
    this.faults = faults;
  }

  void start() {
    Thread t = new Thread(this, "mz-ingest-" + sourceId);
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  /** Stops ingesting and waits for the thread, closing the walsender connection. */
  void stop() {
    stopped = true;
    Connection r = replication;
    if (r != null) {
      try {
        r.close();
      } catch (SQLException ignored) {
        // closing anyway
      }
    }
    Thread t = thread;
    if (t != null) {
      t.interrupt();
      try {
        t.join(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void run() {
    long backoffMs = 500;
    while (!stopped) {
      try {
        ingest();
      } catch (Exception e) {
        if (stopped) {
          break;
        }
        String error = errorText(e);
        LOG.info("source {} stalled: {}", sourceId, error);
        setStatus("stalled", error);
        sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, 2_000);
      }
    }
  }

  /** The error a stalled source reports, in Materialize's (tokio-postgres') words. */
  static String errorText(Throwable e) {
    if (e instanceof MzSqlException m) {
      return m.getMessage();
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof org.postgresql.util.PSQLException p && p.getServerErrorMessage() != null) {
        return UpstreamEndpoint.translate(p).getMessage();
      }
      if (t instanceof java.net.ConnectException || t instanceof java.net.UnknownHostException) {
        return UpstreamEndpoint.describe(t);
      }
      if (t instanceof java.io.EOFException || t instanceof java.net.SocketException) {
        return "error communicating with the server: connection closed";
      }
    }
    return UpstreamEndpoint.describe(e);
  }

  private void ingest() throws Exception {
    SourceState state = load(sourceId, catalog);
    if (state == null) {
      stopped = true;
      return;
    }
    Connection repl = state.endpoint().connect(faults, true);
    replication = repl;
    try (Connection down = catalog.connect()) {
      down.setAutoCommit(false);
      boolean slotExists;
      try (Connection meta = state.endpoint().connect(faults, false);
          PreparedStatement ps =
              meta.prepareStatement("SELECT 1 FROM pg_replication_slots WHERE slot_name = ?")) {
        ps.setString(1, state.slot());
        try (ResultSet rs = ps.executeQuery()) {
          slotExists = rs.next();
        }
      }
      long startLsn;
      if (!slotExists) {
        String[] created = createSlot(repl, state.slot(), false);
        setStatus("running", null);
        long lsn = LogSequenceNumber.valueOf(created[0]).asLong();
        snapshot(state, state.outputs(), created[1], lsn, down, true);
        startLsn = lsn;
      } else {
        List<Output> pending =
            state.outputs().stream().filter(o -> o.snapshotLsn() == null).toList();
        setStatus("running", null);
        if (!pending.isEmpty()) {
          try (Connection tmp = state.endpoint().connect(faults, true)) {
            String[] created = createSlot(tmp, state.slot() + "_tmp", true);
            snapshot(
                state,
                pending,
                created[1],
                LogSequenceNumber.valueOf(created[0]).asLong(),
                down,
                false);
          }
        }
        startLsn = state.committedLsn() == null ? 0 : state.committedLsn();
      }
      markSourceSnapshot(down);
      stream(repl, load(sourceId, catalog), startLsn, down);
    } finally {
      replication = null;
      try {
        repl.close();
      } catch (SQLException ignored) {
        // closing anyway
      }
    }
  }

  /** Returns {consistent_point, snapshot_name}. */
  private static String[] createSlot(Connection repl, String slot, boolean temporary)
      throws SQLException {
    try (Statement st = repl.createStatement();
        ResultSet rs =
            st.executeQuery(
                "CREATE_REPLICATION_SLOT \""
                    + slot
                    + "\" "
                    + (temporary ? "TEMPORARY " : "")
                    + "LOGICAL pgoutput EXPORT_SNAPSHOT")) {
      rs.next();
      return new String[] {rs.getString("consistent_point"), rs.getString("snapshot_name")};
    }
  }

  private void snapshot(
      SourceState state,
      List<Output> outputs,
      String snapshotName,
      long lsn,
      Connection down,
      boolean wholeSource)
      throws Exception {
    try (Connection up = state.endpoint().connect(faults, false);
        Statement upSt = up.createStatement()) {
      upSt.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      upSt.execute("SET TRANSACTION SNAPSHOT '" + snapshotName + "'");
      CopyManager from = up.unwrap(PGConnection.class).getCopyAPI();
      CopyManager to = down.unwrap(PGConnection.class).getCopyAPI();
      SnapshotCounters counters =
          SnapshotCounters.start(catalog, sourceId, outputs, countRows(up, outputs), wholeSource);
      long totalRows = 0;
      for (Output o : outputs) {
        List<String> cols = new ArrayList<>(localColumns(down, o.name()).keySet());
        String colList = String.join(", ", cols.stream().map(Jdbc::quoteIdent).toList());
        try (Statement st = down.createStatement()) {
          // DELETE rather than TRUNCATE: readers must not block on the snapshot transaction.
          st.execute("DELETE FROM public." + Jdbc.quoteIdent(o.name()));
        }
        CopyOut out =
            from.copyOut(
                "COPY "
                    + Jdbc.quoteIdent(o.upstreamSchema())
                    + "."
                    + Jdbc.quoteIdent(o.upstreamTable())
                    + " ("
                    + colList
                    + ") TO STDOUT");
        CopyIn in =
            to.copyIn("COPY public." + Jdbc.quoteIdent(o.name()) + " (" + colList + ") FROM STDIN");
        long rows = 0;
        byte[] row;
        SnapshotThrottle throttle = new SnapshotThrottle(faults.snapshotRowsPerSecond());
        while ((row = out.readFromCopy()) != null) {
          in.writeToCopy(row, 0, row.length);
          rows++;
          if (stopped) {
            in.cancelCopy();
            throw new InterruptedException("stopped");
          }
          throttle.pace(rows);
          counters.staged(o, rows);
        }
        in.endCopy();
        counters.staged(o, rows);
        counters.flush(o);
        totalRows += rows;
        Jdbc.update(
            down, "UPDATE mz_standin.pg_outputs SET snapshot_lsn = ? WHERE id = ?", lsn, o.id());
        Jdbc.update(
            down,
            "UPDATE mz_internal.mz_source_statistics SET snapshot_records_known = ?,"
                + " snapshot_records_staged = ?, snapshot_committed = true,"
                + " rehydration_latency = now() - statement_timestamp() WHERE id = ?",
            rows,
            rows,
            o.id());
      }
      long delay = faults.slowSnapshot().toMillis();
      long until = System.currentTimeMillis() + delay;
      while (System.currentTimeMillis() < until && !stopped) {
        sleep(50);
      }
      if (stopped) {
        throw new InterruptedException("stopped");
      }
      Jdbc.update(
          down,
          "UPDATE mz_internal.mz_source_statistics SET snapshot_records_known = ?,"
              + " snapshot_records_staged = ? WHERE id = ?",
          counters.sourceBaseStaged() + totalRows,
          counters.sourceBaseStaged() + totalRows,
          sourceId);
      if (wholeSource) {
        Jdbc.update(
            down, "UPDATE mz_standin.pg_sources SET committed_lsn = ? WHERE id = ?", lsn, sourceId);
      }
      down.commit();
      upSt.execute("COMMIT");
    } catch (Exception e) {
      down.rollback();
      throw e;
    }
  }

  /**
   * Each output's row count in the exported snapshot: Materialize reports the snapshot's size as
   * {@code snapshot_records_known} before it reads the rows (MZ:src/storage/src/source/postgres
   * counts each table in the snapshot transaction).
   */
  private static Map<String, Long> countRows(Connection up, List<Output> outputs)
      throws SQLException {
    Map<String, Long> known = new LinkedHashMap<>();
    try (Statement st = up.createStatement()) {
      for (Output o : outputs) {
        try (ResultSet rs =
            st.executeQuery(
                "SELECT count(*) FROM "
                    + Jdbc.quoteIdent(o.upstreamSchema())
                    + "."
                    + Jdbc.quoteIdent(o.upstreamTable()))) {
          rs.next();
          known.put(o.id(), rs.getLong(1));
        }
      }
    }
    return known;
  }

  /** The source's own snapshot_committed is true once every output has its snapshot. */
  private void markSourceSnapshot(Connection down) throws SQLException {
    Jdbc.update(
        down,
        "UPDATE mz_internal.mz_source_statistics SET snapshot_committed = NOT EXISTS (SELECT 1"
            + " FROM mz_standin.pg_outputs WHERE source_id = ? AND snapshot_lsn IS NULL)"
            + " WHERE id = ? OR id = (SELECT progress_table FROM mz_standin.pg_sources"
            + " WHERE id = ?)",
        sourceId,
        sourceId,
        sourceId);
    down.commit();
  }

  // ---- streaming ----

  private record Relation(String schema, String table, List<String> columns) {}

  private void stream(Connection repl, SourceState state, long startLsn, Connection down)
      throws Exception {
    PGReplicationStream stream =
        repl.unwrap(PGConnection.class)
            .getReplicationAPI()
            .replicationStream()
            .logical()
            .withSlotName(state.slot())
            .withStartPosition(LogSequenceNumber.valueOf(startLsn))
            .withSlotOption("proto_version", "1")
            .withSlotOption("publication_names", Jdbc.quoteIdent(state.publication()))
            .withStatusInterval(1, TimeUnit.SECONDS)
            .start();
    Map<String, Output> byUpstream = new HashMap<>();
    for (Output o : state.outputs()) {
      byUpstream.put(o.upstreamSchema() + "." + o.upstreamTable(), o);
    }
    Map<Integer, Relation> relations = new HashMap<>();
    Map<String, Map<String, String>> localTypes = new HashMap<>();
    Map<String, Long> perOutputUpdates = new HashMap<>();
    long committed = state.committedLsn() == null ? startLsn : state.committedLsn();
    boolean inTx = false;
    boolean skipTx = false;
    long finalLsn = 0;
    long lastStatsFlush = 0;
    while (!stopped) {
      if (faults.upstreamUnreachable()) {
        throw new MzSqlException(MzSqlException.CONNECTION_EXCEPTION, Faults.UNREACHABLE_ERROR);
      }
      ByteBuffer msg = stream.readPending();
      if (msg == null) {
        if (!inTx) {
          LogSequenceNumber received = stream.getLastReceiveLSN();
          stream.setAppliedLSN(received);
          stream.setFlushedLSN(received);
          offsetKnown = Math.max(offsetKnown, received.asLong());
          if (System.currentTimeMillis() - lastStatsFlush > 1000) {
            flushStatistics(down, perOutputUpdates);
            down.commit();
            lastStatsFlush = System.currentTimeMillis();
          }
        }
        sleep(20);
        continue;
      }
      messagesReceived++;
      bytesReceived += msg.remaining();
      offsetKnown = Math.max(offsetKnown, stream.getLastReceiveLSN().asLong());
      char type = (char) msg.get();
      switch (type) {
        case 'B' -> {
          finalLsn = msg.getLong();
          inTx = true;
          skipTx = finalLsn < committed;
        }
        case 'C' -> {
          msg.get();
          msg.getLong();
          long endLsn = msg.getLong();
          if (!skipTx) {
            committed = endLsn;
            offsetCommitted = endLsn;
            Jdbc.update(
                down,
                "UPDATE mz_standin.pg_sources SET committed_lsn = ? WHERE id = ?",
                endLsn,
                sourceId);
            if (state.progressTable() != null) {
              Jdbc.update(
                  down,
                  "UPDATE public." + Jdbc.quoteIdent(state.progressTable()) + " SET lsn = ?",
                  endLsn);
            }
            flushStatistics(down, perOutputUpdates);
            down.commit();
            lastStatsFlush = System.currentTimeMillis();
          }
          LogSequenceNumber end = LogSequenceNumber.valueOf(endLsn);
          stream.setAppliedLSN(end);
          stream.setFlushedLSN(end);
          inTx = false;
        }
        case 'R' -> {
          int relId = msg.getInt();
          String ns = PgMessage.cstring(msg);
          String name = PgMessage.cstring(msg);
          msg.get();
          int n = msg.getShort();
          List<String> cols = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            msg.get();
            cols.add(PgMessage.cstring(msg));
            msg.getInt();
            msg.getInt();
          }
          relations.put(relId, new Relation(ns.isEmpty() ? "pg_catalog" : ns, name, cols));
        }
        case 'I', 'U', 'D' -> {
          Relation rel = relations.get(msg.getInt());
          Output out = rel == null ? null : byUpstream.get(rel.schema() + "." + rel.table());
          if (skipTx || out == null || out.snapshotLsn() == null || finalLsn < out.snapshotLsn()) {
            continue;
          }
          Map<String, String> types =
              localTypes.computeIfAbsent(out.name(), n -> localColumnsUnchecked(down, n));
          String[] oldRow = null;
          String[] newRow = null;
          boolean[] unchanged = null;
          char tag = (char) msg.get();
          if (tag == 'K' || tag == 'O') {
            oldRow = tuple(msg, null);
            if (tag == 'K') {
              // Only key columns: not REPLICA IDENTITY FULL.
              throw new MzSqlException(MzSqlException.INTERNAL_ERROR, OLD_ROW_MISSING);
            }
            if (type != 'D') {
              tag = (char) msg.get();
            }
          }
          if (tag == 'N') {
            unchanged = new boolean[rel.columns().size()];
            newRow = tuple(msg, unchanged);
          }
          switch (type) {
            case 'I' -> insert(down, out.name(), rel.columns(), newRow, types);
            case 'U' -> {
              if (oldRow == null) {
                throw new MzSqlException(MzSqlException.INTERNAL_ERROR, OLD_ROW_MISSING);
              }
              update(down, out.name(), rel.columns(), oldRow, newRow, unchanged, types);
            }
            default -> {
              if (oldRow == null) {
                throw new MzSqlException(MzSqlException.INTERNAL_ERROR, OLD_ROW_MISSING);
              }
              delete(down, out.name(), rel.columns(), oldRow, types);
            }
          }
          updatesCommitted++;
          perOutputUpdates.merge(out.id(), 1L, Long::sum);
        }
        case 'T' -> {
          int n = msg.getInt();
          msg.get();
          for (int i = 0; i < n; i++) {
            Relation rel = relations.get(msg.getInt());
            Output out = rel == null ? null : byUpstream.get(rel.schema() + "." + rel.table());
            if (out != null && !skipTx) {
              // Materialize puts a truncated table into an error state.
              setOutputStatus(out.id(), "stalled", "table was truncated");
            }
          }
        }
        default -> {
          // 'Y' type, 'O' origin, 'M' message: nothing to apply.
        }
      }
    }
    stream.close();
  }

  private static String[] tuple(ByteBuffer msg, boolean[] unchanged) {
    int n = msg.getShort();
    String[] values = new String[n];
    for (int i = 0; i < n; i++) {
      char kind = (char) msg.get();
      switch (kind) {
        case 'n' -> values[i] = null;
        case 'u' -> {
          if (unchanged != null) {
            unchanged[i] = true;
          }
        }
        default -> {
          int len = msg.getInt();
          byte[] b = new byte[len];
          msg.get(b);
          values[i] = new String(b, StandardCharsets.UTF_8);
        }
      }
    }
    return values;
  }

  private static void insert(
      Connection down, String table, List<String> cols, String[] row, Map<String, String> types)
      throws SQLException {
    List<String> names = new ArrayList<>();
    List<String> values = new ArrayList<>();
    List<String> params = new ArrayList<>();
    for (int i = 0; i < cols.size(); i++) {
      String type = types.get(cols.get(i));
      if (type == null) {
        continue;
      }
      names.add(Jdbc.quoteIdent(cols.get(i)));
      values.add("CAST(? AS " + type + ")");
      params.add(row[i]);
    }
    String sql =
        "INSERT INTO public."
            + Jdbc.quoteIdent(table)
            + " ("
            + String.join(", ", names)
            + ") VALUES ("
            + String.join(", ", values)
            + ")";
    try (PreparedStatement ps = down.prepareStatement(sql)) {
      bind(ps, 1, params);
      ps.executeUpdate();
    }
  }

  /** Finds one row equal to the old row: Materialize sources are multisets, so one copy goes. */
  private static String matchOne(
      String table,
      List<String> cols,
      String[] old,
      Map<String, String> types,
      List<String> params) {
    List<String> conds = new ArrayList<>();
    for (int i = 0; i < cols.size(); i++) {
      String type = types.get(cols.get(i));
      if (type == null) {
        continue;
      }
      String col = Jdbc.quoteIdent(cols.get(i));
      if (type.startsWith("json") && !type.startsWith("jsonb")) {
        conds.add(col + "::text IS NOT DISTINCT FROM CAST(? AS text)");
      } else {
        conds.add(col + " IS NOT DISTINCT FROM CAST(? AS " + type + ")");
      }
      params.add(old[i]);
    }
    return "ctid = (SELECT ctid FROM public."
        + Jdbc.quoteIdent(table)
        + " WHERE "
        + String.join(" AND ", conds)
        + " LIMIT 1)";
  }

  private static void update(
      Connection down,
      String table,
      List<String> cols,
      String[] old,
      String[] row,
      boolean[] unchanged,
      Map<String, String> types)
      throws SQLException {
    List<String> sets = new ArrayList<>();
    List<String> params = new ArrayList<>();
    for (int i = 0; i < cols.size(); i++) {
      String type = types.get(cols.get(i));
      if (type == null || unchanged[i]) {
        continue;
      }
      sets.add(Jdbc.quoteIdent(cols.get(i)) + " = CAST(? AS " + type + ")");
      params.add(row[i]);
    }
    if (sets.isEmpty()) {
      return;
    }
    String where = matchOne(table, cols, old, types, params);
    try (PreparedStatement ps =
        down.prepareStatement(
            "UPDATE public."
                + Jdbc.quoteIdent(table)
                + " SET "
                + String.join(", ", sets)
                + " WHERE "
                + where)) {
      bind(ps, 1, params);
      ps.executeUpdate();
    }
  }

  private static void delete(
      Connection down, String table, List<String> cols, String[] old, Map<String, String> types)
      throws SQLException {
    List<String> params = new ArrayList<>();
    String where = matchOne(table, cols, old, types, params);
    try (PreparedStatement ps =
        down.prepareStatement("DELETE FROM public." + Jdbc.quoteIdent(table) + " WHERE " + where)) {
      bind(ps, 1, params);
      ps.executeUpdate();
    }
  }

  private static void bind(PreparedStatement ps, int first, List<String> params)
      throws SQLException {
    for (int i = 0; i < params.size(); i++) {
      if (params.get(i) == null) {
        ps.setNull(first + i, Types.OTHER);
      } else {
        // Untyped parameter: the CAST in the statement runs the column type's input function.
        ps.setObject(first + i, params.get(i), Types.OTHER);
      }
    }
  }

  private void flushStatistics(Connection down, Map<String, Long> perOutput) throws SQLException {
    Jdbc.update(
        down,
        "UPDATE mz_internal.mz_source_statistics SET messages_received = ?, bytes_received ="
            + " ?, updates_staged = ?, updates_committed = ?, offset_known = ?,"
            + " offset_committed = ? WHERE id = ?",
        messagesReceived,
        bytesReceived,
        updatesCommitted,
        updatesCommitted,
        offsetKnown,
        Math.max(offsetCommitted, 0),
        sourceId);
    if (!perOutput.isEmpty()) {
      try (PreparedStatement ps =
          down.prepareStatement(
              "UPDATE mz_internal.mz_source_statistics SET updates_staged ="
                  + " coalesce(updates_staged, 0) + ?, updates_committed = coalesce(updates_committed,"
                  + " 0) + ? WHERE id = ?")) {
        for (Map.Entry<String, Long> e : perOutput.entrySet()) {
          ps.setLong(1, e.getValue());
          ps.setLong(2, e.getValue());
          ps.setString(3, e.getKey());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      perOutput.clear();
    }
  }

  // ---- status ----

  /** Updates mz_source_statuses for the source, its progress relation and its outputs. */
  synchronized void setStatus(String status, String error) {
    if (status.equals(lastStatus) && java.util.Objects.equals(error, lastError)) {
      return;
    }
    try (Connection c = catalog.connect()) {
      c.setAutoCommit(false);
      Jdbc.update(
          c,
          "UPDATE mz_internal.mz_source_statuses SET status = ?, error = ?,"
              + " last_status_change_at = now(), details = CASE WHEN ?::text IS NULL THEN"
              + " NULL ELSE jsonb_build_object('namespaced', jsonb_build_object('postgres',"
              + " ?::text)) END WHERE id IN (SELECT ? UNION ALL SELECT id FROM"
              + " mz_standin.pg_outputs WHERE source_id = ? UNION ALL SELECT progress_table"
              + " FROM mz_standin.pg_sources WHERE id = ?)",
          status,
          error,
          error,
          error,
          sourceId,
          sourceId,
          sourceId);
      Jdbc.update(
          c,
          "INSERT INTO mz_internal.mz_source_status_history SELECT now(), id, status, error,"
              + " details, NULL FROM mz_internal.mz_source_statuses WHERE id = ?",
          sourceId);
      c.commit();
      lastStatus = status;
      lastError = error;
    } catch (SQLException e) {
      LOG.warn("cannot record status of source {}", sourceId, e);
    }
  }

  private void setOutputStatus(String outputId, String status, String error) {
    try (Connection c = catalog.connect()) {
      Jdbc.update(
          c,
          "UPDATE mz_internal.mz_source_statuses SET status = ?, error = ?,"
              + " last_status_change_at = now() WHERE id = ?",
          status,
          error,
          outputId);
    } catch (SQLException e) {
      LOG.warn("cannot record status of {}", outputId, e);
    }
  }

  // ---- catalog access ----

  static SourceState load(String sourceId, Catalog catalog) throws SQLException {
    try (Connection c = catalog.connect()) {
      return load(c, sourceId);
    }
  }

  static SourceState load(Connection c, String sourceId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT s.name, ps.publication, ps.slot, ps.committed_lsn, pc.host, pc.port,"
                + " pc.database, pc.username, convert_from(sv.value, 'UTF8'), pc.ssl_mode,"
                + " (SELECT name FROM mz_catalog.mz_sources WHERE id = ps.progress_table),"
                + " pc.ssl_ca, pc.ssh_tunnel_id"
                + " FROM mz_standin.pg_sources ps JOIN mz_catalog.mz_sources s ON s.id = ps.id"
                + " JOIN mz_standin.pg_connections pc ON pc.id = ps.connection_id"
                + " LEFT JOIN mz_standin.secret_values sv ON sv.id = pc.password_secret_id"
                + " WHERE ps.id = ?")) {
      ps.setString(1, sourceId);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          return null;
        }
        UpstreamEndpoint endpoint =
            new UpstreamEndpoint(
                    rs.getString(5),
                    rs.getInt(6),
                    rs.getString(7),
                    rs.getString(8),
                    rs.getString(9),
                    rs.getString(10),
                    rs.getString(12))
                .through(
                    rs.getString(13) == null
                        ? null
                        : StatementExecutor.sshTunnel(c, rs.getString(13)));
        Long committed = rs.getObject(4) == null ? null : rs.getLong(4);
        List<Output> outputs = new ArrayList<>();
        try (PreparedStatement os =
            c.prepareStatement(
                "SELECT id, name, upstream_schema, upstream_table, snapshot_lsn FROM"
                    + " mz_standin.pg_outputs WHERE source_id = ? ORDER BY id")) {
          os.setString(1, sourceId);
          try (ResultSet o = os.executeQuery()) {
            while (o.next()) {
              outputs.add(
                  new Output(
                      o.getString(1),
                      o.getString(2),
                      o.getString(3),
                      o.getString(4),
                      o.getObject(5) == null ? null : o.getLong(5)));
            }
          }
        }
        return new SourceState(
            sourceId,
            rs.getString(1),
            rs.getString(11),
            endpoint,
            rs.getString(2),
            rs.getString(3),
            committed,
            outputs);
      }
    }
  }

  /** Column name → SQL type of a subsource table in the backing database. */
  static Map<String, String> localColumns(Connection c, String table) throws SQLException {
    Map<String, String> cols = new LinkedHashMap<>();
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT a.attname, format_type(a.atttypid, a.atttypmod) FROM pg_attribute a"
                + " WHERE a.attrelid = format('public.%I', ?::text)::regclass AND a.attnum > 0"
                + " AND NOT a.attisdropped ORDER BY a.attnum")) {
      ps.setString(1, table);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          cols.put(rs.getString(1), rs.getString(2));
        }
      }
    }
    return cols;
  }

  private static Map<String, String> localColumnsUnchecked(Connection c, String table) {
    try {
      return localColumns(c, table);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
