package se.jamstat;

import static se.jamstat.abi.JamstatNative.*;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import se.jamstat.abi.JamstatAbi;
import se.jamstat.abi.JamstatStructs.jamstat_disclosure_audit;
import se.jamstat.abi.JamstatStructs.jamstat_disclosure_options;
import se.jamstat.abi.JamstatStructs.jamstat_disclosure_summary;
import se.jamstat.abi.JamstatStructs.jamstat_protected_columns;

/**
 * The groupings of one state, protected at once as linked tables (docs/disclosure.md), from
 * {@link Aggregator#protectedTables(List, Options)}: cell suppression (primary and secondary,
 * audited) or the cell key method. Only publishable values leave the library: a suppressed count
 * is {@code null}, a suppressed sum NaN. It outlives the aggregator; close it when done.
 */
public final class ProtectedTables extends NativeHandle {
  /** Printed beside every table protected by the cell key method. */
  public static final String CELL_KEY_NOTE =
      "Värdena är slumpmässigt störda (cellnyckelmetoden); delar summerar inte nödvändigtvis till totaler. / "
      + "Values are perturbed (cell key method); parts need not add up to totals.";

  /** How tables are protected (JAMSTAT_DISCLOSURE_*). */
  public enum Method {
    CELL_SUPPRESSION(JamstatAbi.JAMSTAT_DISCLOSURE_CELL_SUPPRESSION),
    CELL_KEY(JamstatAbi.JAMSTAT_DISCLOSURE_CELL_KEY);
    final int code;
    Method(int code) { this.code = code; }
  }

  /** Dominance rule for sums of measures (JAMSTAT_DOMINANCE_*). */
  public enum Dominance {
    NONE(JamstatAbi.JAMSTAT_DOMINANCE_NONE), P_PERCENT(JamstatAbi.JAMSTAT_DOMINANCE_P_PERCENT), NK(JamstatAbi.JAMSTAT_DOMINANCE_NK);
    final int code;
    Dominance(int code) { this.code = code; }
  }

  /** Cost of a secondary suppression (JAMSTAT_SUPPRESSION_COST_*). */
  public enum Cost {
    PERSONS(JamstatAbi.JAMSTAT_SUPPRESSION_COST_PERSONS), CELLS(JamstatAbi.JAMSTAT_SUPPRESSION_COST_CELLS);
    final int code;
    Cost(int code) { this.code = code; }
  }

  /** How persons are handed over from a state that counts them (JAMSTAT_PERSONS_*). */
  public enum Persons {
    FROM_HASHES(JamstatAbi.JAMSTAT_PERSONS_FROM_HASHES), FROM_COUNTS(JamstatAbi.JAMSTAT_PERSONS_FROM_COUNTS);
    final int code;
    Persons(int code) { this.code = code; }
  }

  /** Status of a statistic of a published cell (JAMSTAT_CELL_*). */
  public enum CellStatus {
    /** Shown as computed. */
    PUBLISHED,
    /** Suppressed (".."): the cell itself is sensitive. */
    PRIMARY,
    /** Suppressed (".."): hidden so that a sensitive cell cannot be computed. */
    SECONDARY,
    /** Shown with cell-key noise (parts need not add up to totals). */
    PERTURBED;

    static CellStatus of(int code) {
      switch (code) {
        case JamstatAbi.JAMSTAT_CELL_PUBLISHED: return PUBLISHED;
        case JamstatAbi.JAMSTAT_CELL_PRIMARY: return PRIMARY;
        case JamstatAbi.JAMSTAT_CELL_SECONDARY: return SECONDARY;
        case JamstatAbi.JAMSTAT_CELL_PERTURBED: return PERTURBED;
        default: throw new IllegalStateException("unknown cell status " + code);
      }
    }

    /** True for PRIMARY and SECONDARY. */
    public boolean suppressed() { return this == PRIMARY || this == SECONDARY; }
  }

  /** Options (jamstat_disclosure_options); null fields keep JAMSTAT_DISCLOSURE_OPTIONS_INIT's defaults. */
  public static final class Options {
    public Method method;
    public Long frequencyThreshold;
    public Long groupThreshold;
    public Dominance dominance;
    public Integer nkN;
    public Double pPercent;
    public Double nkK;
    public Double frequencyProtectionFraction;
    public Double frequencyProtectionMinimum;
    public Double groupProtection;
    public Double dominanceProtectionMinimumFraction;
    public Cost cost;
    public Persons persons;
    /** Cell key method: the publisher's 16-byte secret (all zero is refused). */
    public byte[] cellKeySecret;
    public Integer ptableMaxDeviation;
    public Integer ptableSmallCountThreshold;
    public Double ptableVariance;
    /** Cell key method: a ptable as CSV text (columns i, j, p), used instead of D, V, js. */
    public String ptableCsv;

    /** The cell key method with this secret. */
    public static Options cellKey(byte[] secret) {
      Options o = new Options();
      o.method = Method.CELL_KEY;
      o.cellKeySecret = secret;
      return o;
    }
  }

  /** What protection did (jamstat_disclosure_summary). */
  public static final class Summary {
    public final Method method;
    public final long groupingCount, publishedCells, primaryCells, secondaryCells, primaryPersons, secondaryPersons;
    public final long outcomeStatisticsSuppressed, measureStatisticsSuppressed, perturbedCells, cappedCells;
    public final boolean personsCounted, keysFromPersons;
    public final long auditRows, underProtected, linearPrograms;
    public final double seconds;

    Summary(Pointer s) {
      method = s.getInt(jamstat_disclosure_summary.method) == JamstatAbi.JAMSTAT_DISCLOSURE_CELL_KEY ? Method.CELL_KEY : Method.CELL_SUPPRESSION;
      groupingCount = s.getLong(jamstat_disclosure_summary.grouping_count);
      publishedCells = s.getLong(jamstat_disclosure_summary.published_cells);
      primaryCells = s.getLong(jamstat_disclosure_summary.primary_cells);
      secondaryCells = s.getLong(jamstat_disclosure_summary.secondary_cells);
      primaryPersons = s.getLong(jamstat_disclosure_summary.primary_persons);
      secondaryPersons = s.getLong(jamstat_disclosure_summary.secondary_persons);
      outcomeStatisticsSuppressed = s.getLong(jamstat_disclosure_summary.outcome_statistics_suppressed);
      measureStatisticsSuppressed = s.getLong(jamstat_disclosure_summary.measure_statistics_suppressed);
      perturbedCells = s.getLong(jamstat_disclosure_summary.perturbed_cells);
      cappedCells = s.getLong(jamstat_disclosure_summary.capped_cells);
      personsCounted = s.getInt(jamstat_disclosure_summary.persons_counted) != 0;
      keysFromPersons = s.getInt(jamstat_disclosure_summary.keys_from_persons) != 0;
      auditRows = s.getLong(jamstat_disclosure_summary.audit_rows);
      underProtected = s.getLong(jamstat_disclosure_summary.under_protected);
      linearPrograms = s.getLong(jamstat_disclosure_summary.linear_programs);
      seconds = s.getDouble(jamstat_disclosure_summary.seconds);
    }
  }

  /**
   * One protected grouping, column-wise and copied: every array has cellCount values. Counts are
   * {@code Long} (unsigned values as Java longs), {@code null} when suppressed; sums NaN when suppressed.
   */
  public static final class Columns {
    public final long groupingMask;
    public final int cellCount;
    /** Row of each cell in the C columns (what the audit's cell names). */
    public final int[] cell;
    /** Schema indices of the grouped dimensions, in schema order. */
    public final int[] dimensions;
    /** [dimension][cell]. */
    public final int[][] levelIndices, levelCodes;
    /** [dimension][cell] level labels. */
    public final String[][] labelsSv, labelsEn;
    public final CellStatus[] countStatus;
    public final Long[] persons, participations;
    public final String[] outcomes, measures;
    /** [outcome][cell]. */
    public final CellStatus[][] outcomeStatus;
    public final Long[][] successes;
    /** [measure][cell]. */
    public final CellStatus[][] measureStatus;
    public final double[][] measureSums;

    Columns(Pointer c, int[] order, String[][][] levelLabels, String[] outcomes, String[] measures) {
      int n = order.length;
      groupingMask = c.getLong(jamstat_protected_columns.grouping_mask);
      cellCount = n;
      cell = order;
      int dc = (int) c.getLong(jamstat_protected_columns.dimension_count);
      int oc = (int) c.getLong(jamstat_protected_columns.outcome_count);
      int mc = (int) c.getLong(jamstat_protected_columns.measure_count);
      long[] dims = NativeArrays.longs(c.getPointer(jamstat_protected_columns.dimensions), dc);
      dimensions = new int[dc];
      levelIndices = new int[dc][];
      levelCodes = new int[dc][];
      labelsSv = new String[dc][];
      labelsEn = new String[dc][];
      for (int k = 0; k < dc; ++k) {
        dimensions[k] = (int) dims[k];
        int[] idx = NativeArrays.ints(c.getPointer(jamstat_protected_columns.level_indices).getPointer(8L * k), n);
        int[] codes = NativeArrays.ints(c.getPointer(jamstat_protected_columns.level_codes).getPointer(8L * k), n);
        levelIndices[k] = permute(idx, order);
        levelCodes[k] = permute(codes, order);
        labelsSv[k] = new String[n];
        labelsEn[k] = new String[n];
        for (int j = 0; j < n; ++j) {
          labelsSv[k][j] = levelLabels[dimensions[k]][0][levelIndices[k][j]];
          labelsEn[k][j] = levelLabels[dimensions[k]][1][levelIndices[k][j]];
        }
      }
      countStatus = statuses(NativeArrays.ints(c.getPointer(jamstat_protected_columns.count_status), n), order);
      persons = counts(NativeArrays.longs(c.getPointer(jamstat_protected_columns.persons), n), order);
      participations = counts(NativeArrays.longs(c.getPointer(jamstat_protected_columns.participations), n), order);
      this.outcomes = outcomes.clone();
      this.measures = measures.clone();
      outcomeStatus = new CellStatus[oc][];
      successes = new Long[oc][];
      for (int k = 0; k < oc; ++k) {
        outcomeStatus[k] = statuses(NativeArrays.ints(c.getPointer(jamstat_protected_columns.outcome_status).getPointer(8L * k), n), order);
        successes[k] = counts(NativeArrays.longs(c.getPointer(jamstat_protected_columns.successes).getPointer(8L * k), n), order);
      }
      measureStatus = new CellStatus[mc][];
      measureSums = new double[mc][];
      for (int k = 0; k < mc; ++k) {
        measureStatus[k] = statuses(NativeArrays.ints(c.getPointer(jamstat_protected_columns.measure_status).getPointer(8L * k), n), order);
        double[] sums = NativeArrays.doubles(c.getPointer(jamstat_protected_columns.measure_sums).getPointer(8L * k), n);
        measureSums[k] = new double[n];
        for (int j = 0; j < n; ++j) measureSums[k][j] = sums[order[j]];
      }
    }

    private static int[] permute(int[] v, int[] order) {
      int[] r = new int[order.length];
      for (int j = 0; j < order.length; ++j) r[j] = v[order[j]];
      return r;
    }

    private static CellStatus[] statuses(int[] v, int[] order) {
      CellStatus[] r = new CellStatus[order.length];
      for (int j = 0; j < order.length; ++j) r[j] = CellStatus.of(v[order[j]]);
      return r;
    }

    private static Long[] counts(long[] v, int[] order) {
      Long[] r = new Long[order.length];
      for (int j = 0; j < order.length; ++j) r[j] = v[order[j]] == -1L ? null : v[order[j]];  // JAMSTAT_SUPPRESSED_COUNT
      return r;
    }

    /** [dimension][cell] labels in a language. */
    public String[][] labels(Language language) {
      return language == Language.ENGLISH ? labelsEn : labelsSv;
    }
  }

  private final long[] masks;
  private final String[] dimensionNames, outcomeNames, measureNames;
  private final String[][][] levelLabels;  // [dimension][0 sv, 1 en][level]
  private final int[][] levelCodesOf;

  private ProtectedTables(Pointer handle, long[] masks, Schema schema) {
    super(handle, h -> jamstat_protected_tables_free(h), "protected tables");
    this.masks = masks;
    int d = schema.dimensionCount(), o = schema.outcomeCount(), m = schema.numericCount();
    dimensionNames = new String[d];
    levelLabels = new String[d][2][];
    levelCodesOf = new int[d][];
    for (int k = 0; k < d; ++k) {
      dimensionNames[k] = schema.dimensionName(k);
      int n = schema.levelCount(k);
      levelLabels[k][0] = new String[n];
      levelLabels[k][1] = new String[n];
      levelCodesOf[k] = new int[n];
      for (int l = 0; l < n; ++l) {
        levelLabels[k][0][l] = schema.levelLabel(k, l, Language.SWEDISH);
        levelLabels[k][1][l] = schema.levelLabel(k, l, Language.ENGLISH);
        levelCodesOf[k][l] = schema.levelCode(k, l);
      }
    }
    outcomeNames = new String[o];
    for (int k = 0; k < o; ++k) outcomeNames[k] = schema.fieldName(d + k);
    measureNames = new String[m];
    for (int k = 0; k < m; ++k) measureNames[k] = schema.fieldName(d + o + k);
  }

  /** The mask of named dimensions ("sex" named explicitly; none = the total). */
  static long maskOf(Schema schema, List<String> grouping) {
    long mask = 0;
    for (String name : grouping) {
      int k = schema.dimensionIndex(name);
      if ((mask >> k & 1) != 0) {
        throw new IllegalArgumentException("dimension " + name + " is named twice in a grouping");
      }
      mask |= 1L << k;
    }
    return mask;
  }

  static ProtectedTables create(Aggregator aggregator, long[] masks, Options o) {
    if (o == null) {
      o = new Options();
    }
    List<Object> keep = new ArrayList<>();
    try (Memory m = new Memory(jamstat_disclosure_options.SIZE); Memory slot = new Memory(Native.POINTER_SIZE);
         Memory maskArray = new Memory(8L * Math.max(1, masks.length))) {
      jamstat_disclosure_options.init(m, 0);
      if (o.method != null) m.setInt(jamstat_disclosure_options.method, o.method.code);
      if (o.frequencyThreshold != null) m.setLong(jamstat_disclosure_options.frequency_threshold, o.frequencyThreshold);
      if (o.groupThreshold != null) m.setLong(jamstat_disclosure_options.group_threshold, o.groupThreshold);
      if (o.dominance != null) m.setInt(jamstat_disclosure_options.dominance, o.dominance.code);
      if (o.nkN != null) m.setInt(jamstat_disclosure_options.nk_n, o.nkN);
      if (o.pPercent != null) m.setDouble(jamstat_disclosure_options.p_percent, o.pPercent);
      if (o.nkK != null) m.setDouble(jamstat_disclosure_options.nk_k, o.nkK);
      if (o.frequencyProtectionFraction != null) m.setDouble(jamstat_disclosure_options.frequency_protection_fraction, o.frequencyProtectionFraction);
      if (o.frequencyProtectionMinimum != null) m.setDouble(jamstat_disclosure_options.frequency_protection_minimum, o.frequencyProtectionMinimum);
      if (o.groupProtection != null) m.setDouble(jamstat_disclosure_options.group_protection, o.groupProtection);
      if (o.dominanceProtectionMinimumFraction != null) {
        m.setDouble(jamstat_disclosure_options.dominance_protection_minimum_fraction, o.dominanceProtectionMinimumFraction);
      }
      if (o.cost != null) m.setInt(jamstat_disclosure_options.cost, o.cost.code);
      if (o.persons != null) m.setInt(jamstat_disclosure_options.persons, o.persons.code);
      if (o.cellKeySecret != null) {
        if (o.cellKeySecret.length != jamstat_disclosure_options.cell_key_secret_LENGTH) {
          throw new IllegalArgumentException("cellKeySecret must be 16 bytes, got " + o.cellKeySecret.length);
        }
        m.write(jamstat_disclosure_options.cell_key_secret, o.cellKeySecret, 0, o.cellKeySecret.length);
      }
      if (o.ptableMaxDeviation != null) m.setInt(jamstat_disclosure_options.ptable_max_deviation, o.ptableMaxDeviation);
      if (o.ptableSmallCountThreshold != null) m.setInt(jamstat_disclosure_options.ptable_small_count_threshold, o.ptableSmallCountThreshold);
      if (o.ptableVariance != null) m.setDouble(jamstat_disclosure_options.ptable_variance, o.ptableVariance);
      if (o.ptableCsv != null) {
        Memory csv = NativeArrays.string(o.ptableCsv, "ptableCsv");
        keep.add(csv);
        m.setPointer(jamstat_disclosure_options.ptable_csv, csv);
      }
      maskArray.write(0, masks, 0, masks.length);
      slot.setPointer(0, null);
      Pointer h;
      synchronized (aggregator) {
        Jamstat.check(jamstat_protected_tables_new(aggregator.handle(), maskArray, masks.length, m, slot));
        h = slot.getPointer(0);
      }
      try (Schema s = aggregator.schema()) {
        return new ProtectedTables(h, masks.clone(), s);
      }
    } finally {
      Reference.reachabilityFence(keep);
      Reference.reachabilityFence(aggregator);
    }
  }

  /** Number of groupings. */
  public int size() {
    return masks.length;
  }

  /** Dimension names of grouping g, in schema order. */
  public List<String> groupingDimensions(int g) {
    List<String> r = new ArrayList<>();
    for (int k = 0; k < dimensionNames.length; ++k) {
      if ((masks[g] >> k & 1) != 0) r.add(dimensionNames[k]);
    }
    return r;
  }

  /** What protection did. */
  public synchronized Summary summary() {
    try (Memory s = new Memory(jamstat_disclosure_summary.SIZE)) {
      jamstat_disclosure_summary.init(s, 0);
      Jamstat.check(jamstat_protected_tables_summary(handle(), s));
      return new Summary(s);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** The method the tables were protected with. */
  public Method method() {
    return summary().method;
  }

  /** The note every output of the cell key method must carry ("" under cell suppression). */
  public String note() {
    return method() == Method.CELL_KEY ? CELL_KEY_NOTE : "";
  }

  private static int sexRank(int code) {
    int[] order = {JamstatAbi.JAMSTAT_SEX_FEMALE, JamstatAbi.JAMSTAT_SEX_MALE, JamstatAbi.JAMSTAT_SEX_NOT_KNOWN,
                   JamstatAbi.JAMSTAT_SEX_NOT_APPLICABLE};
    for (int i = 0; i < order.length; ++i) if (order[i] == code) return i;
    return order.length;
  }

  /** Grouping g in reporting order (Kvinnor, Män, Okänt, Ej tillämpligt, then level order). */
  public Columns grouping(int g) {
    return grouping(g, true);
  }

  /** Grouping g, copied; in reporting order, or in the C row order when reportingOrder is false. */
  public synchronized Columns grouping(int g, boolean reportingOrder) {
    if (g < 0 || g >= masks.length) {
      throw new IndexOutOfBoundsException("grouping " + g + " of " + masks.length);
    }
    try (Memory c = new Memory(jamstat_protected_columns.SIZE)) {
      jamstat_protected_columns.init(c, 0);
      Jamstat.check(jamstat_protected_tables_grouping(handle(), g, c));
      int n = (int) c.getLong(jamstat_protected_columns.cell_count);
      int dc = (int) c.getLong(jamstat_protected_columns.dimension_count);
      long[] dims = NativeArrays.longs(c.getPointer(jamstat_protected_columns.dimensions), dc);
      Integer[] order = new Integer[n];
      for (int i = 0; i < n; ++i) order[i] = i;
      if (reportingOrder && dc > 0) {
        long[] keys = new long[n];
        for (int k = 0; k < dc; ++k) {
          int[] idx = NativeArrays.ints(c.getPointer(jamstat_protected_columns.level_indices).getPointer(8L * k), n);
          int[] codes = NativeArrays.ints(c.getPointer(jamstat_protected_columns.level_codes).getPointer(8L * k), n);
          for (int i = 0; i < n; ++i) keys[i] = keys[i] * 65536 + (dims[k] == 0 ? sexRank(codes[i]) : idx[i]);
        }
        Arrays.sort(order, Comparator.comparingLong((Integer i) -> keys[i]).thenComparingInt(i -> i));
      }
      int[] rows = new int[n];
      for (int i = 0; i < n; ++i) rows[i] = order[i];
      return new Columns(c, rows, levelLabels, outcomeNames, measureNames);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /**
   * The audit of cell suppression (empty under the cell key method), copied: per suppressed
   * statistic and quantity (JAMSTAT_AUDIT_*) the attacker's interval lower..upper. value and the
   * required bounds are the TRUE figures: for the publisher only.
   */
  public synchronized DisclosureAudit audit() {
    try (Memory a = new Memory(jamstat_disclosure_audit.SIZE)) {
      jamstat_disclosure_audit.init(a, 0);
      Jamstat.check(jamstat_protected_tables_audit(handle(), a));
      return DisclosureAudit.read(a, 0);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /**
   * Grouping g as text to publish: one line per non-empty cell, suppressed values as "..", and
   * under the cell key method the note that parts need not add up to totals.
   */
  public String toText(int g, Language language) {
    Columns c = grouping(g);
    String[][] labels = c.labels(language);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < c.cellCount; ++i) {
      if (c.participations[i] != null && c.participations[i] == 0L) {
        continue;  // published as empty
      }
      List<String> parts = new ArrayList<>();
      for (int k = 0; k < c.dimensions.length; ++k) parts.add(labels[k][i]);
      sb.append(parts.isEmpty() ? Jamstat.totalLabel(language) : String.join(", ", parts));
      sb.append(": ").append(text(c.persons[i])).append(language == Language.ENGLISH ? " persons" : " personer");
      for (int k = 0; k < c.outcomes.length; ++k) {
        sb.append(", ").append(c.outcomes[k]).append(' ').append(text(c.successes[k][i]));
      }
      sb.append(" (").append(c.countStatus[i].name().toLowerCase(java.util.Locale.ROOT)).append(")\n");
    }
    if (method() == Method.CELL_KEY) {
      sb.append(CELL_KEY_NOTE).append('\n');
    }
    return sb.toString();
  }

  private static String text(Long v) {
    return v == null ? ".." : Long.toUnsignedString(v);
  }
}
