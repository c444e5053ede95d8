package dev.onramp.sandbox.materialize;

/**
 * An error the stand-in reports to the client as a PostgreSQL ErrorResponse. Messages, details and
 * hints follow Materialize's texts (see shared/reference/materialize.md).
 */
public class MzSqlException extends RuntimeException {

  /** SQLSTATE codes the stand-in uses. */
  public static final String SYNTAX_ERROR = "42601";

  public static final String FEATURE_NOT_SUPPORTED = "0A000";
  public static final String UNDEFINED_OBJECT = "42704";
  public static final String DUPLICATE_OBJECT = "42710";
  public static final String DEPENDENT_OBJECTS_STILL_EXIST = "2BP01";
  public static final String INVALID_PARAMETER_VALUE = "22023";
  public static final String INTERNAL_ERROR = "XX000";
  public static final String CONNECTION_EXCEPTION = "08000";
  public static final String INSUFFICIENT_PRIVILEGE = "42501";

  private final String sqlState;
  private final String detail;
  private final String hint;

  public MzSqlException(String sqlState, String message) {
    this(sqlState, message, null, null);
  }

  public MzSqlException(String sqlState, String message, String detail, String hint) {
    super(message);
    this.sqlState = sqlState;
    this.detail = detail;
    this.hint = hint;
  }

  public String sqlState() {
    return sqlState;
  }

  public String detail() {
    return detail;
  }

  public String hint() {
    return hint;
  }

  public static MzSqlException syntax(String message) {
    return new MzSqlException(SYNTAX_ERROR, message);
  }

  public static MzSqlException unsupported(String message) {
    return new MzSqlException(FEATURE_NOT_SUPPORTED, message);
  }
}
