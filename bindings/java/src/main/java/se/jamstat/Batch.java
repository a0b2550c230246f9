package se.jamstat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A batch of rows given as named columns, for {@link Aggregator#add(Batch)}: every schema field
 * (dimensions with sex, outcomes, numeric measures, and "person_id" when persons are counted) by
 * its name, in any order.
 *
 * <pre>{@code
 * agg.add(new Batch(rows).column("sex", Column.u8(sex)).column("intervention", Column.u8(intervention))
 *                        .column("in_work", Column.u8(inWork)).column("hours", Column.f64(hours)));
 * }</pre>
 */
public final class Batch {
  /** Bad rows a batch reports by default (their total count is always reported). */
  public static final int DEFAULT_MAX_ROW_ERRORS = 1000;

  private final long rows;
  private final Map<String, Column> columns = new LinkedHashMap<>();
  private int maxRowErrors = DEFAULT_MAX_ROW_ERRORS;

  /** A batch of `rows` rows. */
  public Batch(long rows) {
    if (rows < 0) {
      throw new IllegalArgumentException("rows " + rows + " is negative");
    }
    this.rows = rows;
  }

  /** Sets the column of schema field `name` (names match ignoring ASCII case, as the schema's do). */
  public Batch column(String name, Column column) {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(column, "column");
    if (columns.put(name.toLowerCase(Locale.ROOT), column) != null) {
      throw new IllegalArgumentException("column '" + name + "' is given twice");
    }
    return this;
  }

  /** How many bad rows to report individually (default {@value #DEFAULT_MAX_ROW_ERRORS}; 0: only their count). */
  public Batch maxRowErrors(int maxRowErrors) {
    if (maxRowErrors < 0) {
      throw new IllegalArgumentException("maxRowErrors " + maxRowErrors + " is negative");
    }
    this.maxRowErrors = maxRowErrors;
    return this;
  }

  public long rows() {
    return rows;
  }

  public int maxRowErrors() {
    return maxRowErrors;
  }

  /** The columns in schema field order: fields[0..count). */
  List<Column> ordered(String[] fields, int count) {
    List<Column> out = new ArrayList<>(count);
    List<String> missing = new ArrayList<>();
    Map<String, Column> left = new LinkedHashMap<>(columns);
    for (int f = 0; f < count; ++f) {
      Column c = left.remove(fields[f].toLowerCase(Locale.ROOT));
      if (c == null) {
        missing.add(fields[f]);
      }
      out.add(c);
    }
    if (!missing.isEmpty() || !left.isEmpty()) {
      StringBuilder m = new StringBuilder("batch columns do not match the schema's fields " + String.join(", ", List.of(fields).subList(0, count)));
      if (!missing.isEmpty()) {
        m.append("; missing: ").append(String.join(", ", missing));
      }
      if (!left.isEmpty()) {
        m.append("; not in the schema: ").append(String.join(", ", left.keySet()));
      }
      throw new IllegalArgumentException(m.toString());
    }
    return out;
  }
}
