package dev.onramp.sandbox.materialize.sql;

import dev.onramp.sandbox.materialize.MzSession;
import dev.onramp.sandbox.materialize.MzSqlException;
import dev.onramp.sandbox.materialize.SyntaxGeneration;
import dev.onramp.sandbox.materialize.sql.MzStatement.ObjectKind;
import dev.onramp.sandbox.materialize.sql.MzStatement.TableRef;
import dev.onramp.sandbox.materialize.sql.MzStatement.TableSpec;
import dev.onramp.sandbox.materialize.sql.SqlLexer.Kind;
import dev.onramp.sandbox.materialize.sql.SqlLexer.Token;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Parses the Materialize statements onramp sends (grammar from shared/reference/materialize.md,
 * section 2) and decides what is relayed to the backing PostgreSQL. {@code SHOW} commands are
 * rewritten into SELECTs over the catalog relations.
 */
public final class MzStatementParser {

  private static final Set<String> KEYWORDS =
      Set.of(
          "create",
          "alter",
          "drop",
          "show",
          "set",
          "source",
          "sources",
          "subsource",
          "subsources",
          "connection",
          "connections",
          "secret",
          "secrets",
          "cluster",
          "clusters",
          "table",
          "tables",
          "from",
          "for",
          "all",
          "schemas",
          "in",
          "if",
          "not",
          "exists",
          "as",
          "to",
          "postgres",
          "publication",
          "with",
          "validate",
          "cascade",
          "restrict",
          "add",
          "reference",
          "text",
          "columns",
          "expose",
          "progress",
          "size",
          "replication",
          "factor",
          "host",
          "port",
          "user",
          "password",
          "ssl",
          "mode",
          "database",
          "ssh",
          "tunnel",
          "on",
          "where",
          "like",
          "select",
          "replicas",
          "true",
          "false",
          "refresh",
          "references",
          "exclude",
          "default",
          "session",
          "local",
          "reset");

  /** Statements relayed unchanged to the backing PostgreSQL. */
  private static final Set<String> PASSTHROUGH =
      Set.of(
          "select",
          "with",
          "values",
          "table",
          "begin",
          "start",
          "commit",
          "rollback",
          "end",
          "abort",
          "savepoint",
          "release",
          "deallocate",
          "discard",
          "close",
          "fetch",
          "declare",
          "explain");

  /** Statements PostgreSQL knows but the stand-in refuses. */
  private static final Set<String> UNSUPPORTED =
      Set.of(
          "insert",
          "update",
          "delete",
          "copy",
          "grant",
          "revoke",
          "truncate",
          "merge",
          "vacuum",
          "analyze",
          "lock",
          "listen",
          "notify",
          "unlisten",
          "prepare",
          "execute",
          "call",
          "do",
          "reindex",
          "cluster",
          "refresh",
          "load",
          "import",
          "subscribe",
          "security",
          "reassign",
          "checkpoint",
          "move");

  private final SyntaxGeneration syntax;
  private List<Token> tokens;
  private int pos;
  private String sql;

  public MzStatementParser(SyntaxGeneration syntax) {
    this.syntax = syntax;
  }

  static boolean isKeyword(String word) {
    return KEYWORDS.contains(word);
  }

  /** Decides how to handle {@code statement} (one statement, no trailing semicolon). */
  public synchronized Routed route(String statement, MzSession session) {
    this.sql = statement;
    List<Token> all = new ArrayList<>(SqlLexer.tokenize(statement));
    // A trailing semicolon (e.g. in an extended-protocol Parse) ends the statement.
    while (all.size() >= 2 && all.get(all.size() - 2).isSymbol(";")) {
      all.remove(all.size() - 2);
    }
    this.tokens = all;
    this.pos = 0;
    Token first = peek();
    if (first.kind() == Kind.EOF) {
      return new Routed.Empty();
    }
    if (first.kind() != Kind.WORD) {
      throw expected("a keyword at the beginning of a statement");
    }
    String w = first.value();
    if (PASSTHROUGH.contains(w)) {
      return new Routed.Forward(statement);
    }
    return switch (w) {
      case "create" -> new Routed.Local(parseCreate());
      case "alter" -> new Routed.Local(parseAlter());
      case "drop" -> new Routed.Local(parseDrop());
      case "comment" -> new Routed.Local(parseComment());
      case "validate" -> new Routed.Local(parseValidate());
      case "set" -> routeSet();
      case "reset" -> routeReset();
      case "show" -> routeShow(session);
      default -> {
        if (UNSUPPORTED.contains(w)) {
          throw MzSqlException.unsupported(
              w.toUpperCase(Locale.ROOT) + " is not supported by the Materialize stand-in");
        }
        throw expected("a keyword at the beginning of a statement");
      }
    };
  }

  // ---- CREATE ----

  private MzStatement parseCreate() {
    expectWord("create");
    if (acceptWord("cluster")) {
      if (peekWord("replica")) {
        throw MzSqlException.unsupported(
            "CREATE CLUSTER REPLICA is not supported by the Materialize stand-in; use a managed cluster");
      }
      return parseCreateCluster();
    }
    if (acceptWord("secret")) {
      return parseCreateSecret();
    }
    if (acceptWord("connection")) {
      return parseCreateConnection();
    }
    if (acceptWord("source")) {
      return parseCreateSource();
    }
    if (acceptWord("table")) {
      return parseCreateTable();
    }
    Token t = peek();
    if (t.kind() == Kind.WORD
        && Set.of(
                "view",
                "materialized",
                "index",
                "sink",
                "schema",
                "database",
                "role",
                "type",
                "temporary",
                "temp",
                "default",
                "or")
            .contains(t.value())) {
      throw MzSqlException.unsupported(
          "CREATE "
              + t.value().toUpperCase(Locale.ROOT)
              + " is not supported by the Materialize stand-in");
    }
    throw expected("an object type after CREATE (CLUSTER, SECRET, CONNECTION, SOURCE, TABLE)");
  }

  private MzStatement parseCreateCluster() {
    String name = ident();
    expectSymbol("(");
    String size = null;
    int replicationFactor = 1;
    do {
      if (acceptWord("size")) {
        size = optionValue(this::string);
      } else if (acceptWord("replication")) {
        expectWord("factor");
        replicationFactor = optionValue(this::integer);
      } else if (peekWord("replicas")) {
        throw MzSqlException.unsupported(
            "unmanaged clusters (REPLICAS) are not supported by the Materialize stand-in");
      } else if (acceptWord("availability")
          || acceptWord("introspection")
          || acceptWord("disk")
          || acceptWord("schedule")) {
        skipOptionValue();
      } else {
        throw expected("one of SIZE or REPLICATION FACTOR");
      }
    } while (acceptSymbol(","));
    expectSymbol(")");
    expectEnd();
    if (size == null) {
      throw new MzSqlException(MzSqlException.SYNTAX_ERROR, "SIZE option must be specified");
    }
    return new MzStatement.CreateCluster(name, size, replicationFactor);
  }

  private void skipOptionValue() {
    // Accept and ignore options the stand-in has no use for: consume up to the next top-level
    // comma or closing parenthesis.
    int depth = 0;
    while (peek().kind() != Kind.EOF) {
      Token t = peek();
      if (depth == 0 && (t.isSymbol(",") || t.isSymbol(")"))) {
        return;
      }
      if (t.isSymbol("(")) {
        depth++;
      } else if (t.isSymbol(")")) {
        depth--;
      }
      pos++;
    }
  }

  private MzStatement parseCreateSecret() {
    boolean ifNotExists = ifNotExists();
    String name = itemName();
    expectWord("as");
    byte[] value = secretValue();
    expectEnd();
    return new MzStatement.CreateSecret(name, ifNotExists, value);
  }

  /** A secret value: a string literal, optionally cast to bytea or text, or decode(...). */
  private byte[] secretValue() {
    if (acceptWord("decode")) {
      expectSymbol("(");
      String data = string();
      expectSymbol(",");
      String format = string().toLowerCase(Locale.ROOT);
      expectSymbol(")");
      return switch (format) {
        case "base64" -> java.util.Base64.getMimeDecoder().decode(data);
        case "hex" -> HexFormat.of().parseHex(data.replaceAll("\\s", ""));
        case "escape" -> data.getBytes(StandardCharsets.UTF_8);
        default ->
            throw new MzSqlException(
                MzSqlException.INVALID_PARAMETER_VALUE, "invalid encoding name \"" + format + "\"");
      };
    }
    if (peek().kind() == Kind.PARAMETER) {
      throw MzSqlException.unsupported(
          "parameters in CREATE SECRET are not supported; use a string literal");
    }
    String literal = string();
    boolean bytea = false;
    if (acceptSymbol("::")) {
      String type = ident();
      bytea = type.equals("bytea");
      if (!bytea && !type.equals("text") && !type.equals("varchar")) {
        throw new MzSqlException(
            "42846", "CREATE SECRET value must be castable to bytea, got " + type);
      }
    }
    if (bytea && literal.startsWith("\\x")) {
      return HexFormat.of().parseHex(literal.substring(2));
    }
    return literal.getBytes(StandardCharsets.UTF_8);
  }

  private MzStatement parseCreateConnection() {
    boolean ifNotExists = ifNotExists();
    String name = itemName();
    expectWord("to");
    if (acceptWord("ssh")) {
      expectWord("tunnel");
      return parseSshTunnel(name, ifNotExists);
    }
    if (acceptWord("aws")) {
      if (!acceptWord("privatelink")) {
        throw MzSqlException.unsupported(
            "CREATE CONNECTION ... TO AWS is not supported by the Materialize stand-in");
      }
      return parsePrivatelink(name, ifNotExists);
    }
    if (peekWord("kafka") || peekWord("confluent") || peekWord("mysql") || peekWord("sql")) {
      throw MzSqlException.unsupported(
          "CREATE CONNECTION ... TO "
              + peek().value().toUpperCase(Locale.ROOT)
              + " is not supported by the Materialize stand-in");
    }
    expectWord("postgres");
    expectSymbol("(");
    String host = null;
    int port = 5432;
    String database = null;
    String user = null;
    String passwordSecret = null;
    String sslMode = "disable";
    String sshTunnel = null;
    String privatelink = null;
    String sslCa = null;
    String sslCaSecret = null;
    do {
      if (acceptWord("host")) {
        host = optionValue(this::string);
      } else if (acceptWord("port")) {
        port = optionValue(this::integer);
      } else if (acceptWord("database")) {
        database = optionValue(this::stringOrIdent);
      } else if (acceptWord("user")) {
        user = optionValue(this::stringOrIdent);
      } else if (acceptWord("password")) {
        acceptSymbol("=");
        expectWord("secret");
        passwordSecret = itemName();
      } else if (acceptWord("ssl")) {
        if (acceptWord("mode")) {
          sslMode = normalizeSslMode(optionValue(this::stringOrIdent));
        } else if (acceptWord("certificate")) {
          if (!acceptWord("authority")) {
            throw MzSqlException.unsupported(
                "SSL CERTIFICATE and SSL KEY are not supported by the Materialize stand-in");
          }
          // SSL CERTIFICATE AUTHORITY [=] { '<pem>' | SECRET <s> }
          acceptSymbol("=");
          if (acceptWord("secret")) {
            sslCaSecret = itemName();
          } else {
            sslCa = string();
          }
        } else if (peekWord("key")) {
          throw MzSqlException.unsupported(
              "SSL CERTIFICATE and SSL KEY are not supported by the Materialize stand-in");
        } else {
          throw expected("one of MODE or CERTIFICATE or KEY");
        }
      } else if (acceptWord("ssh")) {
        expectWord("tunnel");
        sshTunnel = itemName();
      } else if (acceptWord("aws")) {
        expectWord("privatelink");
        acceptSymbol("=");
        privatelink = itemName();
      } else {
        throw expected("one of HOST or PORT or DATABASE or USER or PASSWORD or SSL or SSH or AWS");
      }
    } while (acceptSymbol(","));
    expectSymbol(")");
    boolean validate = withValidate();
    expectEnd();
    if (host == null) {
      throw new MzSqlException(MzSqlException.SYNTAX_ERROR, "HOST option is required");
    }
    if (user == null) {
      throw new MzSqlException(MzSqlException.SYNTAX_ERROR, "USER option is required");
    }
    if (database == null) {
      throw new MzSqlException(MzSqlException.SYNTAX_ERROR, "DATABASE option is required");
    }
    return new MzStatement.CreatePostgresConnection(
        name,
        ifNotExists,
        new MzStatement.PostgresOptions(
            host,
            port,
            database,
            user,
            passwordSecret,
            sslMode,
            sshTunnel,
            sslCa,
            sslCaSecret,
            privatelink),
        validate,
        sql);
  }

  private static String normalizeSslMode(String mode) {
    String m = mode.toLowerCase(Locale.ROOT).replace('-', '_');
    if (!Set.of("disable", "require", "verify_ca", "verify_full", "prefer", "allow").contains(m)) {
      throw new MzSqlException(
          MzSqlException.INVALID_PARAMETER_VALUE,
          "invalid SSL MODE: " + mode,
          null,
          "valid SSL modes are disable, require, verify_ca and verify_full");
    }
    return m;
  }

  /** {@code AWS PRIVATELINK (SERVICE NAME 'com.amazonaws...', AVAILABILITY ZONES ('id', ...))}. */
  private MzStatement parsePrivatelink(String name, boolean ifNotExists) {
    expectSymbol("(");
    String serviceName = null;
    List<String> zones = null;
    do {
      if (acceptWord("service")) {
        expectWord("name");
        serviceName = optionValue(this::string);
      } else if (acceptWord("availability")) {
        expectWord("zones");
        acceptSymbol("=");
        expectSymbol("(");
        zones = new ArrayList<>();
        if (!acceptSymbol(")")) {
          do {
            zones.add(string());
          } while (acceptSymbol(","));
          expectSymbol(")");
        }
      } else {
        throw expected("one of SERVICE NAME or AVAILABILITY ZONES");
      }
    } while (acceptSymbol(","));
    expectSymbol(")");
    expectEnd();
    if (serviceName == null) {
      throw new MzSqlException(MzSqlException.SYNTAX_ERROR, "SERVICE NAME option is required");
    }
    if (zones == null) {
      throw new MzSqlException(
          MzSqlException.SYNTAX_ERROR, "AVAILABILITY ZONES option is required");
    }
    return new MzStatement.CreatePrivatelinkConnection(
        name, ifNotExists, serviceName, List.copyOf(zones), sql);
  }

  private MzStatement parseSshTunnel(String name, boolean ifNotExists) {
    expectSymbol("(");
    String host = null;
    int port = 22;
    String user = null;
    do {
      if (acceptWord("host")) {
        host = optionValue(this::string);
      } else if (acceptWord("port")) {
        port = optionValue(this::integer);
      } else if (acceptWord("user")) {
        user = optionValue(this::stringOrIdent);
      } else {
        throw expected("one of HOST or PORT or USER");
      }
    } while (acceptSymbol(","));
    expectSymbol(")");
    expectEnd();
    if (host == null || user == null) {
      throw new MzSqlException(
          MzSqlException.SYNTAX_ERROR, "SSH TUNNEL connections require HOST and USER");
    }
    return new MzStatement.CreateSshTunnelConnection(name, ifNotExists, host, port, user, sql);
  }

  private MzStatement parseCreateSource() {
    boolean ifNotExists = ifNotExists();
    String name = itemName();
    String cluster = null;
    if (acceptWord("in")) {
      expectWord("cluster");
      cluster = ident();
    }
    expectWord("from");
    if (!peekWord("postgres")) {
      if (peek().kind() == Kind.WORD
          && Set.of("kafka", "mysql", "load", "webhook", "sql").contains(peek().value())) {
        throw MzSqlException.unsupported(
            "CREATE SOURCE ... FROM "
                + peek().value().toUpperCase(Locale.ROOT)
                + " is not supported by the Materialize stand-in");
      }
      throw expected("one of KAFKA or LOAD or MYSQL or POSTGRES or SQL or WEBHOOK");
    }
    expectWord("postgres");
    expectWord("connection");
    String connection = itemName();
    expectSymbol("(");
    String publication = null;
    List<String> textColumns = new ArrayList<>();
    do {
      if (acceptWord("publication")) {
        publication = optionValue(this::string);
      } else if (acceptWord("text")) {
        expectWord("columns");
        textColumns.addAll(optionValue(this::columnList));
      } else if (acceptWord("exclude")) {
        throw MzSqlException.unsupported(
            "EXCLUDE COLUMNS is not supported by the Materialize stand-in");
      } else {
        throw expected("one of PUBLICATION or TEXT COLUMNS or EXCLUDE COLUMNS or DETAILS");
      }
    } while (acceptSymbol(","));
    expectSymbol(")");
    if (publication == null) {
      throw new MzSqlException(MzSqlException.SYNTAX_ERROR, "CONNECTION must specify PUBLICATION");
    }
    TableSpec spec = new TableSpec.None();
    if (acceptWord("for")) {
      if (acceptWord("all")) {
        expectWord("tables");
        spec = new TableSpec.AllTables();
      } else if (acceptWord("schemas")) {
        expectSymbol("(");
        List<String> schemas = new ArrayList<>();
        do {
          schemas.add(ident());
        } while (acceptSymbol(","));
        expectSymbol(")");
        spec = new TableSpec.Schemas(schemas);
      } else if (acceptWord("tables")) {
        expectSymbol("(");
        List<TableRef> tables = new ArrayList<>();
        do {
          tables.add(tableRef(true));
        } while (acceptSymbol(","));
        expectSymbol(")");
        spec = new TableSpec.Tables(tables);
      } else {
        throw expected("one of ALL or SCHEMAS or TABLES");
      }
    }
    String progress = null;
    if (acceptWord("expose")) {
      expectWord("progress");
      expectWord("as");
      progress = itemName();
    }
    if (acceptWord("with")) {
      expectSymbol("(");
      do {
        if (acceptWord("retain") || acceptWord("timestamp")) {
          skipOptionValue();
        } else {
          throw expected("one of RETAIN or TIMESTAMP");
        }
      } while (acceptSymbol(","));
      expectSymbol(")");
    }
    expectEnd();
    return new MzStatement.CreateSource(
        name, ifNotExists, cluster, connection, publication, textColumns, spec, progress, sql);
  }

  private MzStatement parseCreateTable() {
    boolean ifNotExists = ifNotExists();
    String name = itemName();
    if (!peekWord("from")) {
      throw MzSqlException.unsupported(
          "CREATE TABLE without FROM SOURCE is not supported by the Materialize stand-in");
    }
    expectWord("from");
    expectWord("source");
    if (syntax == SyntaxGeneration.LEGACY_SUBSOURCES) {
      throw MzSqlException.unsupported("CREATE TABLE ... FROM SOURCE is not supported");
    }
    String source = itemName();
    expectSymbol("(");
    expectWord("reference");
    TableRef ref = optionValue(() -> tableRef(false));
    expectSymbol(")");
    List<String> textColumns = new ArrayList<>();
    if (acceptWord("with")) {
      expectSymbol("(");
      do {
        if (acceptWord("text")) {
          expectWord("columns");
          textColumns.addAll(optionValue(this::columnList));
        } else if (acceptWord("exclude") || acceptWord("partition")) {
          throw MzSqlException.unsupported(
              previous().value().toUpperCase(Locale.ROOT)
                  + " options are not supported by the Materialize stand-in");
        } else {
          throw expected("one of TEXT COLUMNS or EXCLUDE COLUMNS or PARTITION BY");
        }
      } while (acceptSymbol(","));
      expectSymbol(")");
    }
    expectEnd();
    return new MzStatement.CreateTableFromSource(
        name, ifNotExists, source, new TableRef(ref.schema(), ref.table(), null), textColumns, sql);
  }

  // ---- ALTER ----

  /** {@code [WITH (VALIDATE [=] bool)]}, true when absent. */
  private boolean withValidate() {
    boolean validate = true;
    if (acceptWord("with")) {
      expectSymbol("(");
      do {
        expectWord("validate");
        if (acceptSymbol("=")) {
          validate = bool();
        } else {
          validate = !peek().isSymbol(")") && !peek().isSymbol(",") ? bool() : true;
        }
      } while (acceptSymbol(","));
      expectSymbol(")");
    }
    return validate;
  }

  /** The rest of {@code ALTER CONNECTION} (MZ:doc/user/content/sql/alter-connection.md). */
  private MzStatement parseAlterConnection() {
    boolean ifExists = ifExists();
    String name = itemName();
    java.util.Map<String, String> set = new java.util.LinkedHashMap<>();
    Set<String> reset = new java.util.LinkedHashSet<>();
    do {
      if (acceptWord("set")) {
        expectSymbol("(");
        String option = connectionOption();
        acceptSymbol("=");
        String value =
            switch (option) {
              case "PASSWORD" -> {
                expectWord("secret");
                yield itemName();
              }
              case "PORT" -> Integer.toString(integer());
              case "SSL MODE" -> normalizeSslMode(stringOrIdent());
              default -> stringOrIdent();
            };
        set.put(option, value);
        expectSymbol(")");
      } else if (acceptWord("drop") || acceptWord("reset")) {
        expectSymbol("(");
        reset.add(connectionOption());
        expectSymbol(")");
      } else {
        throw expected("one of SET or DROP or RESET");
      }
    } while (acceptSymbol(","));
    boolean validate = withValidate();
    expectEnd();
    return new MzStatement.AlterConnection(name, ifExists, set, reset, validate);
  }

  private String connectionOption() {
    for (String word : List.of("host", "port", "database", "user", "password")) {
      if (acceptWord(word)) {
        return word.toUpperCase(Locale.ROOT);
      }
    }
    if (acceptWord("ssl")) {
      if (acceptWord("mode")) {
        return "SSL MODE";
      }
      throw MzSqlException.unsupported(
          "ALTER CONNECTION of SSL certificates is not supported by the Materialize stand-in");
    }
    throw expected("one of HOST or PORT or DATABASE or USER or PASSWORD or SSL MODE");
  }

  private MzStatement parseAlter() {
    expectWord("alter");
    if (acceptWord("connection")) {
      return parseAlterConnection();
    }
    if (acceptWord("cluster")) {
      boolean ifExists = ifExists();
      String name = ident();
      expectWord("set");
      expectSymbol("(");
      String size = null;
      Integer rf = null;
      do {
        if (acceptWord("size")) {
          size = optionValue(this::string);
        } else if (acceptWord("replication")) {
          expectWord("factor");
          rf = optionValue(this::integer);
        } else {
          throw expected("one of SIZE or REPLICATION FACTOR");
        }
      } while (acceptSymbol(","));
      expectSymbol(")");
      expectEnd();
      return new MzStatement.AlterCluster(name, ifExists, size, rf);
    }
    if (acceptWord("secret")) {
      boolean ifExists = ifExists();
      String name = itemName();
      expectWord("as");
      byte[] value = secretValue();
      expectEnd();
      return new MzStatement.AlterSecret(name, ifExists, value);
    }
    if (acceptWord("source")) {
      boolean ifExists = ifExists();
      String name = itemName();
      if (acceptWord("add")) {
        if (!acceptWord("subsource") && !acceptWord("table")) {
          throw expected("one of SUBSOURCE or TABLE");
        }
        List<TableRef> tables = new ArrayList<>();
        do {
          tables.add(tableRef(true));
        } while (acceptSymbol(","));
        List<String> textColumns = new ArrayList<>();
        if (acceptWord("with")) {
          expectSymbol("(");
          do {
            expectWord("text");
            expectWord("columns");
            textColumns.addAll(optionValue(this::columnList));
          } while (acceptSymbol(","));
          expectSymbol(")");
        }
        expectEnd();
        return new MzStatement.AlterSourceAdd(name, ifExists, tables, textColumns);
      }
      if (peekWord("drop") && syntax == SyntaxGeneration.LEGACY_SUBSOURCES) {
        // The seed's documentation version still had ALTER SOURCE ... DROP SUBSOURCE.
        expectWord("drop");
        if (!acceptWord("subsource") && !acceptWord("table")) {
          throw expected("one of SUBSOURCE or TABLE");
        }
        boolean subIfExists = ifExists();
        List<String> names = new ArrayList<>();
        do {
          names.add(itemName());
        } while (acceptSymbol(","));
        boolean cascade = cascade();
        expectEnd();
        return new MzStatement.AlterSourceDropSubsources(
            name, ifExists || subIfExists, names, cascade);
      }
      if (acceptWord("refresh")) {
        expectWord("references");
        expectEnd();
        return new MzStatement.AlterSourceRefresh(name);
      }
      throw expected("one of ADD or REFRESH or RENAME or SET or RESET");
    }
    throw MzSqlException.unsupported(
        "ALTER "
            + peek().value().toUpperCase(Locale.ROOT)
            + " is not supported by the Materialize stand-in");
  }

  // ---- COMMENT ON ----

  /**
   * {@code COMMENT ON {CLUSTER | SECRET | CONNECTION | SOURCE | TABLE} name IS 'text' | NULL}
   * (MZ:doc/user/content/sql/comment-on.md); the other object kinds Materialize accepts are objects
   * the stand-in does not have.
   */
  private MzStatement parseComment() {
    expectWord("comment");
    expectWord("on");
    ObjectKind kind;
    if (acceptWord("cluster")) {
      if (peekWord("replica")) {
        throw MzSqlException.unsupported(
            "COMMENT ON CLUSTER REPLICA is not supported by the Materialize stand-in");
      }
      kind = ObjectKind.CLUSTER;
    } else if (acceptWord("secret")) {
      kind = ObjectKind.SECRET;
    } else if (acceptWord("connection")) {
      kind = ObjectKind.CONNECTION;
    } else if (acceptWord("source")) {
      kind = ObjectKind.SOURCE;
    } else if (acceptWord("table")) {
      kind = ObjectKind.TABLE;
    } else if (peek().kind() == Kind.WORD
        && Set.of(
                "column",
                "database",
                "function",
                "index",
                "materialized",
                "network",
                "role",
                "schema",
                "sink",
                "type",
                "view")
            .contains(peek().value())) {
      throw MzSqlException.unsupported(
          "COMMENT ON "
              + peek().value().toUpperCase(Locale.ROOT)
              + " is not supported by the Materialize stand-in");
    } else {
      throw expected("one of CLUSTER or CONNECTION or SECRET or SOURCE or TABLE or VIEW or COLUMN");
    }
    String name = kind == ObjectKind.CLUSTER ? ident() : itemName();
    expectWord("is");
    String comment = acceptWord("null") ? null : string();
    expectEnd();
    return new MzStatement.Comment(kind, name, comment);
  }

  // ---- DROP ----

  private MzStatement parseDrop() {
    expectWord("drop");
    ObjectKind kind;
    if (acceptWord("source")) {
      kind = ObjectKind.SOURCE;
    } else if (acceptWord("table")) {
      kind = ObjectKind.TABLE;
    } else if (acceptWord("connection")) {
      kind = ObjectKind.CONNECTION;
    } else if (acceptWord("secret")) {
      kind = ObjectKind.SECRET;
    } else if (acceptWord("cluster")) {
      if (peekWord("replica")) {
        throw MzSqlException.unsupported(
            "DROP CLUSTER REPLICA is not supported by the Materialize stand-in");
      }
      kind = ObjectKind.CLUSTER;
    } else if (peekWord("subsource")) {
      // Materialize has no DROP SUBSOURCE: a subsource is dropped with DROP SOURCE.
      throw new MzSqlException(
          MzSqlException.SYNTAX_ERROR,
          "Expected one of CLUSTER or CONNECTION or SECRET or SOURCE or TABLE or VIEW, found"
              + " identifier \"subsource\"",
          null,
          "drop a subsource with DROP SOURCE <subsource>");
    } else if (peek().kind() == Kind.WORD
        && Set.of("view", "materialized", "index", "sink", "schema", "database", "role", "type")
            .contains(peek().value())) {
      throw MzSqlException.unsupported(
          "DROP "
              + peek().value().toUpperCase(Locale.ROOT)
              + " is not supported by the Materialize stand-in");
    } else {
      throw expected("one of CLUSTER or CONNECTION or SECRET or SOURCE or TABLE or VIEW");
    }
    boolean ifExists = ifExists();
    List<String> names = new ArrayList<>();
    do {
      names.add(kind == ObjectKind.CLUSTER ? ident() : itemName());
    } while (acceptSymbol(","));
    boolean cascade = cascade();
    expectEnd();
    return new MzStatement.Drop(kind, ifExists, names, cascade);
  }

  private boolean cascade() {
    if (acceptWord("cascade")) {
      return true;
    }
    acceptWord("restrict");
    return false;
  }

  private MzStatement parseValidate() {
    expectWord("validate");
    expectWord("connection");
    String name = itemName();
    expectEnd();
    return new MzStatement.ValidateConnection(name);
  }

  // ---- SET / RESET / SHOW ----

  private Routed routeSet() {
    expectWord("set");
    if (acceptWord("session") || acceptWord("local")) {
      // same as plain SET for the stand-in
    }
    if (!peekWord("cluster")) {
      return new Routed.Forward(sql);
    }
    pos++;
    if (!acceptSymbol("=") && !acceptWord("to")) {
      throw expected("equals sign or TO");
    }
    String cluster = acceptWord("default") ? null : stringOrIdent();
    expectEnd();
    return new Routed.Local(new MzStatement.SetCluster(cluster));
  }

  private Routed routeReset() {
    expectWord("reset");
    if (acceptWord("cluster")) {
      expectEnd();
      return new Routed.Local(new MzStatement.SetCluster(null));
    }
    return new Routed.Forward(sql);
  }

  private Routed routeShow(MzSession session) {
    expectWord("show");
    String base;
    if (acceptWord("sources")) {
      String cluster = null;
      if (acceptWord("from")) {
        showSchema();
      }
      if (acceptWord("in")) {
        expectWord("cluster");
        cluster = ident();
      }
      base =
          "SELECT s.name, s.type, c.name AS cluster FROM mz_catalog.mz_sources s"
              + " LEFT JOIN mz_catalog.mz_clusters c ON c.id = s.cluster_id WHERE s.id LIKE 'u%'"
              + (cluster == null ? "" : " AND c.name = " + quoteLiteral(cluster));
    } else if (acceptWord("subsources")) {
      String on = null;
      if (acceptWord("on")) {
        on = itemName();
      } else if (acceptWord("from")) {
        showSchema();
      }
      base =
          "SELECT s.name, s.type FROM mz_catalog.mz_sources s WHERE s.type IN"
              + " ('subsource', 'progress')"
              + (on == null
                  ? ""
                  : " AND s.id IN (SELECT d.referenced_object_id FROM"
                      + " mz_internal.mz_object_dependencies d JOIN mz_catalog.mz_sources p ON"
                      + " p.id = d.object_id WHERE p.name = "
                      + quoteLiteral(on)
                      + ")");
    } else if (acceptWord("connections")) {
      optionalFromSchema();
      base = "SELECT name, type FROM mz_catalog.mz_connections WHERE id LIKE 'u%'";
    } else if (acceptWord("secrets")) {
      optionalFromSchema();
      base = "SELECT name FROM mz_catalog.mz_secrets WHERE id LIKE 'u%'";
    } else if (acceptWord("tables")) {
      optionalFromSchema();
      base = "SELECT name FROM mz_catalog.mz_tables WHERE id LIKE 'u%'";
    } else if (acceptWord("clusters")) {
      base =
          "SELECT c.name, coalesce(string_agg(r.name || ' (' || r.size || ')', ', ' ORDER BY"
              + " r.name), '') AS replicas FROM mz_catalog.mz_clusters c LEFT JOIN"
              + " mz_catalog.mz_cluster_replicas r ON r.cluster_id = c.id GROUP BY c.name";
    } else if (peekWord("cluster") && tokens.get(pos + 1).isWord("replicas")) {
      pos += 2;
      base =
          "SELECT c.name AS cluster, r.name AS replica, r.size, true AS ready FROM"
              + " mz_catalog.mz_cluster_replicas r JOIN mz_catalog.mz_clusters c ON c.id ="
              + " r.cluster_id";
    } else if (peekWord("cluster") && tokens.get(pos + 1).kind() == Kind.EOF) {
      pos++;
      String cluster = session.cluster();
      return new Routed.Forward(
          "SELECT " + (cluster == null ? "NULL::text" : quoteLiteral(cluster)) + " AS cluster");
    } else if (acceptWord("create")) {
      String relation;
      if (acceptWord("source")) {
        relation = "mz_catalog.mz_sources";
      } else if (acceptWord("connection")) {
        relation = "mz_catalog.mz_connections";
      } else if (acceptWord("table")) {
        relation = "mz_catalog.mz_tables";
      } else {
        throw expected("one of CONNECTION or SOURCE or TABLE");
      }
      String name = itemName();
      expectEnd();
      return new Routed.Forward(
          "SELECT 'materialize.public.' || name AS name, create_sql FROM "
              + relation
              + " WHERE name = "
              + quoteLiteral(name));
    } else {
      // Session variables (server_version, transaction_isolation, ...) come from PostgreSQL.
      return new Routed.Forward(sql);
    }
    String filter = "";
    if (acceptWord("like")) {
      filter = " WHERE name LIKE " + quoteLiteral(string());
    } else if (peekWord("where")) {
      filter = " " + sql.substring(peek().start());
      pos = tokens.size() - 1;
    }
    expectEnd();
    return new Routed.Forward("SELECT * FROM (" + base + ") AS show" + filter + " ORDER BY 1");
  }

  private void optionalFromSchema() {
    if (acceptWord("from") || acceptWord("in")) {
      showSchema();
    }
  }

  private void showSchema() {
    List<String> parts = dottedName();
    String schema = parts.get(parts.size() - 1);
    if (!schema.equals("public")) {
      throw new MzSqlException("3F000", "unknown schema '" + schema + "'");
    }
  }

  // ---- names and literals ----

  /** An object name, optionally qualified as [materialize.][public.]name. */
  private String itemName() {
    List<String> parts = qualifiedName();
    if (parts.size() >= 2 && !parts.get(parts.size() - 2).equals("public")) {
      throw new MzSqlException("3F000", "unknown schema '" + parts.get(parts.size() - 2) + "'");
    }
    if (parts.size() == 3 && !parts.get(0).equals("materialize")) {
      throw new MzSqlException("3D000", "unknown database '" + parts.get(0) + "'");
    }
    return parts.get(parts.size() - 1);
  }

  /** An upstream table reference: [database.][schema.]table [AS alias]. */
  private TableRef tableRef(boolean allowAlias) {
    List<String> parts = qualifiedName();
    String table = parts.get(parts.size() - 1);
    String schema = parts.size() >= 2 ? parts.get(parts.size() - 2) : null;
    String alias = null;
    if (allowAlias && acceptWord("as")) {
      alias = itemName();
    }
    return new TableRef(schema, table, alias);
  }

  /** A name of one to three dot-separated parts (database, schema, object). */
  private List<String> qualifiedName() {
    List<String> parts = dottedName();
    if (parts.size() > 3) {
      throw MzSqlException.syntax(
          "qualified name did not have between 1 and 3 components: " + String.join(".", parts));
    }
    return parts;
  }

  /** Identifiers separated by dots, as many as there are. */
  private List<String> dottedName() {
    List<String> parts = new ArrayList<>();
    do {
      parts.add(ident());
    } while (acceptSymbol("."));
    return parts;
  }

  /** An option's value: Materialize's grammar takes the equals sign after the name as optional. */
  private <T> T optionValue(Supplier<T> value) {
    acceptSymbol("=");
    return value.get();
  }

  private List<String> columnList() {
    expectSymbol("(");
    List<String> cols = new ArrayList<>();
    do {
      List<String> parts = dottedName();
      if (parts.size() < 2) {
        throw new MzSqlException(
            MzSqlException.SYNTAX_ERROR,
            "column name '" + parts.get(0) + "' must have at least a table qualification");
      }
      cols.add(String.join(".", parts));
    } while (acceptSymbol(","));
    expectSymbol(")");
    return cols;
  }

  private boolean ifNotExists() {
    if (acceptWord("if")) {
      expectWord("not");
      expectWord("exists");
      return true;
    }
    return false;
  }

  private boolean ifExists() {
    if (acceptWord("if")) {
      expectWord("exists");
      return true;
    }
    return false;
  }

  private String ident() {
    Token t = peek();
    if (t.kind() == Kind.WORD || t.kind() == Kind.QUOTED_IDENT) {
      pos++;
      return t.value();
    }
    throw expected("identifier");
  }

  private String string() {
    Token t = peek();
    if (t.kind() == Kind.STRING) {
      pos++;
      return t.value();
    }
    throw expected("literal string");
  }

  private String stringOrIdent() {
    return peek().kind() == Kind.STRING ? string() : ident();
  }

  private int integer() {
    Token t = peek();
    if (t.kind() == Kind.NUMBER && t.value().matches("\\d+")) {
      pos++;
      try {
        return Integer.parseInt(t.value());
      } catch (NumberFormatException e) {
        throw new MzSqlException(
            MzSqlException.INVALID_PARAMETER_VALUE, "number too large: " + t.value());
      }
    }
    throw expected("literal unsigned integer");
  }

  private boolean bool() {
    if (acceptWord("true")) {
      return true;
    }
    if (acceptWord("false")) {
      return false;
    }
    throw expected("literal boolean");
  }

  static String quoteLiteral(String s) {
    return "'" + s.replace("'", "''") + "'";
  }

  // ---- token helpers ----

  private Token peek() {
    return tokens.get(pos);
  }

  private Token previous() {
    return tokens.get(pos - 1);
  }

  private boolean peekWord(String w) {
    return peek().isWord(w);
  }

  private boolean acceptWord(String w) {
    if (peek().isWord(w)) {
      pos++;
      return true;
    }
    return false;
  }

  private boolean acceptSymbol(String s) {
    if (peek().isSymbol(s)) {
      pos++;
      return true;
    }
    return false;
  }

  private void expectWord(String w) {
    if (!acceptWord(w)) {
      throw expected(w.toUpperCase(Locale.ROOT));
    }
  }

  private void expectSymbol(String s) {
    if (!acceptSymbol(s)) {
      throw expected(
          switch (s) {
            case "(" -> "left parenthesis";
            case ")" -> "right parenthesis";
            case "," -> "comma";
            case "=" -> "equals sign";
            default -> "\"" + s + "\"";
          });
    }
  }

  private void expectEnd() {
    if (peek().kind() != Kind.EOF) {
      throw expected("end of statement");
    }
  }

  /** Materialize's parser error shape: "Expected X, found Y". */
  private MzSqlException expected(String what) {
    return MzSqlException.syntax("Expected " + what + ", found " + peek().describe());
  }
}
