package se.jamstat;

import static se.jamstat.abi.JamstatNative.*;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.lang.ref.Reference;
import java.util.HashMap;
import java.util.Map;
import se.jamstat.abi.JamstatAbi;
import se.jamstat.abi.JamstatStructs.jamstat_cell_counts;
import se.jamstat.abi.JamstatStructs.jamstat_measure_columns;
import se.jamstat.abi.JamstatStructs.jamstat_numeric_stats;
import se.jamstat.abi.JamstatStructs.jamstat_table_columns;

/**
 * A roll-up table: the non-empty cells of a grouping (the total has its one cell always), each
 * with counts, outcome successes and numeric statistics. It keeps the order in which its
 * dimensions were named; its cells are sorted by level indices in schema order (sex: Okänt, Män,
 * Kvinnor, Ej tillämpligt), or in the order Swedish tables use with {@link #export(boolean)}.
 * It outlives the aggregator it came from; close it when done.
 */
public final class Table extends NativeHandle {
  Table(Pointer handle) {
    super(handle, h -> jamstat_table_free(h), "table");
  }

  /** Number of cells. */
  public synchronized int cellCount() {
    try (Memory out = new Memory(8)) {
      Jamstat.check(jamstat_table_cell_count(handle(), out));
      return (int) out.getLong(0);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** Number of grouped dimensions. */
  public synchronized int dimensionCount() {
    try (Memory out = new Memory(8)) {
      Jamstat.check(jamstat_table_dimension_count(handle(), out));
      return (int) out.getLong(0);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** The schema index of the k-th grouped dimension (in the order they were named). */
  public synchronized int dimension(int k) {
    try (Memory out = new Memory(8)) {
      Jamstat.check(jamstat_table_dimension(handle(), k, out));
      return (int) out.getLong(0);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** The k-th grouped dimension's level of a cell, with its Swedish and English labels. */
  public synchronized Level level(int cell, int k) {
    try (Memory index = new Memory(4); Memory code = new Memory(4); Memory label = new Memory(Native.POINTER_SIZE)) {
      Jamstat.check(jamstat_table_cell_level(handle(), cell, k, index, code, Language.SWEDISH.code(), label));
      String sv = NativeArrays.utf8(label.getPointer(0));
      Jamstat.check(jamstat_table_cell_level(handle(), cell, k, null, null, Language.ENGLISH.code(), label));
      return new Level(index.getInt(0), code.getInt(0), sv, NativeArrays.utf8(label.getPointer(0)));
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /**
   * The cell with these level indices (one per grouped dimension, in the table's order); a
   * JamstatException (INVALID_ARGUMENT) when that cell is empty.
   */
  public synchronized int find(int... levelIndices) {
    try (Memory levels = NativeArrays.ints(levelIndices); Memory out = new Memory(8)) {
      Jamstat.check(jamstat_table_find(handle(), levels, levelIndices.length, out));
      return (int) out.getLong(0);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** Counts of a cell. */
  public synchronized CellCounts counts(int cell) {
    try (Memory c = new Memory(jamstat_cell_counts.SIZE)) {
      jamstat_cell_counts.init(c, 0);
      Jamstat.check(jamstat_table_cell_counts(handle(), cell, c));
      return new CellCounts(c.getLong(jamstat_cell_counts.participations), c.getLong(jamstat_cell_counts.persons),
                            c.getInt(jamstat_cell_counts.has_persons) != 0, c.getLong(jamstat_cell_counts.anonymous_participants));
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** Successes of outcome `outcome` in a cell. */
  public synchronized long successes(int cell, int outcome) {
    try (Memory s = new Memory(8)) {
      Jamstat.check(jamstat_table_cell_outcome(handle(), cell, outcome, s, null));
      return s.getLong(0);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** The proportion of a cell's participations with outcome `outcome` (NaN when none). */
  public synchronized double proportion(int cell, int outcome) {
    try (Memory p = new Memory(8)) {
      Jamstat.check(jamstat_table_cell_outcome(handle(), cell, outcome, null, p));
      return p.getDouble(0);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** Statistics of numeric measure `measure` in a cell. */
  public synchronized NumericStats numeric(int cell, int measure) {
    try (Memory m = new Memory(jamstat_numeric_stats.SIZE)) {
      jamstat_numeric_stats.init(m, 0);
      Jamstat.check(jamstat_table_cell_numeric(handle(), cell, measure, m));
      return new NumericStats(m.getLong(jamstat_numeric_stats.count), m.getDouble(jamstat_numeric_stats.sum),
                              m.getDouble(jamstat_numeric_stats.mean), m.getDouble(jamstat_numeric_stats.variance),
                              m.getDouble(jamstat_numeric_stats.sd), m.getDouble(jamstat_numeric_stats.min),
                              m.getDouble(jamstat_numeric_stats.max), MeasureKind.fromCode(m.getInt(jamstat_numeric_stats.kind)),
                              m.getInt(jamstat_numeric_stats.decimals), m.getDouble(jamstat_numeric_stats.second_max));
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** The whole table column-wise, cells in the table's order. */
  public TableColumns export() {
    return export(false);
  }

  /**
   * The whole table column-wise in one call, copied into Java arrays (independent of this
   * table's lifetime). With reportingOrder, cells come in the order Swedish tables use: by sex
   * Kvinnor, Män, Okänt, Ej tillämpligt (when the table groups by sex), otherwise by level index.
   */
  public synchronized TableColumns export(boolean reportingOrder) {
    try (Memory c = new Memory(jamstat_table_columns.SIZE)) {
      jamstat_table_columns.init(c, 0);
      Jamstat.check(jamstat_table_export(handle(), reportingOrder ? JamstatAbi.JAMSTAT_EXPORT_REPORTING_ORDER : 0, c));
      long cells = c.getLong(jamstat_table_columns.cell_count);
      int dims = (int) c.getLong(jamstat_table_columns.dimension_count);
      int[] dimensions = new int[dims];
      int[][] levelIndices = new int[dims][];
      int[][] levelCodes = new int[dims][];
      long[] schemaDims = NativeArrays.longs(c.getPointer(jamstat_table_columns.dimensions), dims);
      Pointer indexColumns = c.getPointer(jamstat_table_columns.level_indices);
      Pointer codeColumns = c.getPointer(jamstat_table_columns.level_codes);
      for (int k = 0; k < dims; ++k) {
        dimensions[k] = (int) schemaDims[k];
        levelIndices[k] = NativeArrays.ints(indexColumns.getPointer((long) k * Native.POINTER_SIZE), cells);
        levelCodes[k] = NativeArrays.ints(codeColumns.getPointer((long) k * Native.POINTER_SIZE), cells);
      }
      Pointer persons = c.getPointer(jamstat_table_columns.persons);
      Pointer anonymous = c.getPointer(jamstat_table_columns.anonymous_participants);
      int outcomes = (int) c.getLong(jamstat_table_columns.outcome_count);
      long[][] successes = new long[outcomes][];
      Pointer successColumns = c.getPointer(jamstat_table_columns.successes);
      for (int o = 0; o < outcomes; ++o) {
        successes[o] = NativeArrays.longs(successColumns.getPointer((long) o * Native.POINTER_SIZE), cells);
      }
      int measures = (int) c.getLong(jamstat_table_columns.measure_count);
      MeasureColumns[] measureColumns = new MeasureColumns[measures];
      Pointer measureStructs = c.getPointer(jamstat_table_columns.measures);
      for (int m = 0; m < measures; ++m) {
        measureColumns[m] = MeasureColumns.read(measureStructs, (long) m * jamstat_measure_columns.SIZE, cells);
      }
      String[][][] labels = labels(levelIndices, (int) cells);
      return new TableColumns(dimensions, levelIndices, levelCodes, labels[0], labels[1],
                              NativeArrays.longs(c.getPointer(jamstat_table_columns.participations), cells),
                              persons == null ? null : NativeArrays.longs(persons, cells),
                              anonymous == null ? null : NativeArrays.longs(anonymous, cells), successes, measureColumns);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** Labels [language][k][row] of the exported rows, looked up once per level through the table's cells. */
  private String[][][] labels(int[][] levelIndices, int cells) {
    int dims = levelIndices.length;
    String[][][] out = new String[2][dims][cells];
    try (Memory index = new Memory(4); Memory label = new Memory(Native.POINTER_SIZE)) {
      for (int k = 0; k < dims; ++k) {
        Map<Integer, String[]> byLevel = new HashMap<>();
        for (int cell = 0; cell < cells; ++cell) {
          Jamstat.check(jamstat_table_cell_level(handle(), cell, k, index, null, Language.SWEDISH.code(), label));
          int level = index.getInt(0);
          if (!byLevel.containsKey(level)) {
            String sv = NativeArrays.utf8(label.getPointer(0));
            Jamstat.check(jamstat_table_cell_level(handle(), cell, k, null, null, Language.ENGLISH.code(), label));
            byLevel.put(level, new String[] {sv, NativeArrays.utf8(label.getPointer(0))});
          }
        }
        for (int row = 0; row < cells; ++row) {
          String[] l = byLevel.get(levelIndices[k][row]);
          out[0][k][row] = l[0];
          out[1][k][row] = l[1];
        }
      }
    }
    return out;
  }
}
