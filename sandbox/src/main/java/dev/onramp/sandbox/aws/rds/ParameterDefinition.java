package dev.onramp.sandbox.aws.rds;

/**
 * One parameter of an RDS for PostgreSQL parameter group family, as {@code DescribeDBParameters}
 * reports it.
 *
 * @param name the RDS parameter name
 * @param defaultValue the engine default ({@code null}: no value, as RDS shows many)
 * @param applyType {@code static} (needs a reboot) or {@code dynamic}
 * @param dataType {@code boolean}, {@code integer}, {@code string} or {@code list}
 * @param allowedValues RDS's {@code AllowedValues}: a range {@code min-max}, a comma list, or null
 * @param pgSetting the PostgreSQL setting it maps to, or null when the emulator handles it itself
 *     (the {@code rds.*} parameters) or does not apply it
 */
public record ParameterDefinition(
    String name,
    String defaultValue,
    String applyType,
    String dataType,
    String allowedValues,
    boolean modifiable,
    String description,
    String pgSetting) {

  public boolean isStatic() {
    return "static".equals(applyType);
  }

  /** Checks a value against {@link #allowedValues}; returns an error text or null. */
  public String validate(String value) {
    if (value == null) {
      return null;
    }
    String invalid =
        "Invalid parameter value: "
            + value
            + " for: "
            + name
            + " allowed values are: "
            + allowedValues;
    switch (dataType) {
      case "boolean":
        return value.equals("0") || value.equals("1") ? null : invalid;
      case "integer":
        long v;
        try {
          v = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
          return invalid;
        }
        if (allowedValues != null) {
          int dash = allowedValues.indexOf('-', 1);
          if (dash > 0) {
            long min = Long.parseLong(allowedValues.substring(0, dash));
            long max = Long.parseLong(allowedValues.substring(dash + 1));
            if (v < min || v > max) {
              return invalid;
            }
          }
        }
        return null;
      default:
        if (allowedValues != null && "string".equals(dataType)) {
          for (String allowed : allowedValues.split(",")) {
            if (allowed.equals(value)) {
              return null;
            }
          }
          return invalid;
        }
        return null;
    }
  }

  /** The value as PostgreSQL expects it (RDS booleans are 0/1). */
  public String toPgValue(String value) {
    if ("boolean".equals(dataType)) {
      return "1".equals(value) ? "on" : "off";
    }
    return value;
  }
}
