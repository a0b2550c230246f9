package se.jamstat;

import static se.jamstat.abi.JamstatNative.*;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import se.jamstat.abi.JamstatStructs.jamstat_measure_definition;

/**
 * An immutable schema: the dimensions (sex, ISO/IEC 5218, is always dimension 0), the binary
 * outcomes and the numeric measures of the records. Made with {@link #builder()}; close it when
 * done (aggregators made from it keep their own reference, so it may be closed before them).
 *
 * <p>Schema fields are numbered as in the C ABI: the dimensions (sex first), then the outcomes,
 * then the numeric measures, then "person_id".
 */
public final class Schema extends NativeHandle {
  private final String[] fieldNames;
  private final int dimensionCount;
  private final int outcomeCount;
  private final int numericCount;

  Schema(Pointer handle) {
    super(handle, h -> jamstat_schema_free(h), "schema");
    try (Memory out = new Memory(8)) {
      Jamstat.check(jamstat_schema_dimension_count(handle, out));
      dimensionCount = (int) out.getLong(0);
      Jamstat.check(jamstat_schema_outcome_count(handle, out));
      outcomeCount = (int) out.getLong(0);
      Jamstat.check(jamstat_schema_numeric_count(handle, out));
      numericCount = (int) out.getLong(0);
      fieldNames = new String[dimensionCount + outcomeCount + numericCount + 1];
      for (int f = 0; f < fieldNames.length; ++f) {
        Jamstat.check(jamstat_schema_field_name(handle, f, out));
        fieldNames[f] = NativeArrays.utf8(out.getPointer(0));
      }
    } catch (RuntimeException | Error e) {
      close();
      throw e;
    }
  }

  /** A builder for a new schema. */
  public static Builder builder() {
    return new Builder();
  }

  /** Number of dimensions, sex (index 0) included. */
  public int dimensionCount() {
    return dimensionCount;
  }

  /** Number of binary outcomes. */
  public int outcomeCount() {
    return outcomeCount;
  }

  /** Number of numeric measures. */
  public int numericCount() {
    return numericCount;
  }

  /** Number of schema fields: dimensions, outcomes, numeric measures and person_id. */
  public int fieldCount() {
    return fieldNames.length;
  }

  /** Name of schema field `field` (see the class comment for the numbering). */
  public String fieldName(int field) {
    Objects.checkIndex(field, fieldNames.length);
    return fieldNames[field];
  }

  /** The names of all schema fields, in field order. */
  public List<String> fieldNames() {
    return List.of(fieldNames);
  }

  String[] fieldNameArray() {
    return fieldNames;
  }

  /** Name of dimension `dimension` ("sex" for 0). */
  public synchronized String dimensionName(int dimension) {
    try (Memory out = new Memory(8)) {
      Jamstat.check(jamstat_schema_dimension_name(handle(), dimension, out));
      return NativeArrays.utf8(out.getPointer(0));
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** The label of a dimension ("" when none; sex: "Kön" / "Sex"). */
  public synchronized String dimensionLabel(int dimension, Language language) {
    try (Memory sv = new Memory(8); Memory en = new Memory(8)) {
      Jamstat.check(jamstat_schema_dimension_labels(handle(), dimension, sv, en));
      return NativeArrays.utf8((language == Language.ENGLISH ? en : sv).getPointer(0));
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** Index of the dimension called `name`. */
  public synchronized int dimensionIndex(String name) {
    try (Memory n = NativeArrays.string(name, "name"); Memory out = new Memory(8)) {
      Jamstat.check(jamstat_schema_dimension_index(handle(), n, out));
      return (int) out.getLong(0);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** Number of levels of a dimension. */
  public synchronized int levelCount(int dimension) {
    try (Memory out = new Memory(8)) {
      Jamstat.check(jamstat_schema_level_count(handle(), dimension, out));
      return (int) out.getLong(0);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** The code of level `level` of a dimension. */
  public synchronized int levelCode(int dimension, int level) {
    try (Memory code = new Memory(4)) {
      Jamstat.check(jamstat_schema_level(handle(), dimension, level, code, null, null));
      return code.getInt(0);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** The label of level `level` of a dimension. */
  public synchronized String levelLabel(int dimension, int level, Language language) {
    try (Memory label = new Memory(8)) {
      Jamstat.check(language == Language.ENGLISH ? jamstat_schema_level(handle(), dimension, level, null, null, label)
                                                 : jamstat_schema_level(handle(), dimension, level, null, label, null));
      return NativeArrays.utf8(label.getPointer(0));
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** The level index of `code` in a dimension (a JamstatException when no level has it). */
  public synchronized int levelIndex(int dimension, int code) {
    try (Memory out = new Memory(8)) {
      Jamstat.check(jamstat_schema_level_index(handle(), dimension, code, out));
      return (int) out.getLong(0);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** Stable 64-bit fingerprint of the full definition (equal schemas, equal fingerprints). */
  public synchronized long fingerprint() {
    try (Memory out = new Memory(8)) {
      Jamstat.check(jamstat_schema_fingerprint(handle(), out));
      return out.getLong(0);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /**
   * The schema's cross-product set (jamstat_schema_cross_product_count / _name): the outcomes and
   * decimal measures whose exact sums of products every cell keeps, in field order; empty when
   * the schema keeps none.
   */
  public synchronized List<String> crossProducts() {
    try (Memory out = new Memory(8)) {
      Jamstat.check(jamstat_schema_cross_product_count(handle(), out));
      int n = (int) out.getLong(0);
      List<String> names = new ArrayList<>(n);
      for (int i = 0; i < n; ++i) {
        Jamstat.check(jamstat_schema_cross_product_name(handle(), i, out));
        names.add(NativeArrays.utf8(out.getPointer(0)));
      }
      return Collections.unmodifiableList(names);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** The definition of numeric measure `measure`, its range resolved. */
  public synchronized MeasureDefinition measure(int measure) {
    try (Memory d = new Memory(jamstat_measure_definition.SIZE)) {
      jamstat_measure_definition.init(d, 0);
      Jamstat.check(jamstat_schema_measure(handle(), measure, d));
      return MeasureDefinition.of(NativeArrays.utf8(d.getPointer(jamstat_measure_definition.name)),
                                  NativeArrays.utf8(d.getPointer(jamstat_measure_definition.unit)),
                                  NativeArrays.utf8(d.getPointer(jamstat_measure_definition.label_sv)),
                                  NativeArrays.utf8(d.getPointer(jamstat_measure_definition.label_en)),
                                  MeasureKind.fromCode(d.getInt(jamstat_measure_definition.kind)),
                                  d.getInt(jamstat_measure_definition.decimals),
                                  OffGrid.fromCode(d.getInt(jamstat_measure_definition.off_grid)),
                                  d.getInt(jamstat_measure_definition.has_range) != 0,
                                  d.getDouble(jamstat_measure_definition.lowest),
                                  d.getDouble(jamstat_measure_definition.highest));
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /**
   * Builds schemas. The builder records the definitions and replays them into a C schema builder
   * in {@link #build()}, so it holds no native memory; an invalid definition fails there, with
   * the C message naming it. It stays usable after build().
   */
  public static final class Builder {
    private interface Step {
      int apply(Pointer builder);
    }

    private final List<Step> steps = new ArrayList<>();

    private Builder() {}

    /**
     * Adds a dimension: level i has code codes[i] and labels labelsSv[i] / labelsEn[i]. Names are
     * unique ignoring ASCII case; "sex" and "person_id" are built in.
     */
    public Builder dimension(String name, int[] codes, String[] labelsSv, String[] labelsEn) {
      Objects.requireNonNull(name, "name");
      int[] c = Objects.requireNonNull(codes, "codes").clone();
      List<String> sv = Arrays.asList(Objects.requireNonNull(labelsSv, "labelsSv").clone());
      List<String> en = Arrays.asList(Objects.requireNonNull(labelsEn, "labelsEn").clone());
      if (sv.size() != c.length || en.size() != c.length) {
        throw new IllegalArgumentException("dimension '" + name + "': " + c.length + " codes, " + sv.size()
            + " Swedish and " + en.size() + " English labels; give one label of each per code");
      }
      steps.add(b -> {
        try (Memory n = NativeArrays.string(name, "dimension name"); Memory codeMemory = NativeArrays.ints(c)) {
          NativeArrays.StringArray s = new NativeArrays.StringArray(sv, "labelsSv");
          NativeArrays.StringArray e = new NativeArrays.StringArray(en, "labelsEn");
          int status = jamstat_schema_builder_add_dimension(b, n, c.length, codeMemory, s.pointers, e.pointers);
          Reference.reachabilityFence(s);
          Reference.reachabilityFence(e);
          return status;
        }
      });
      return this;
    }

    /** Adds a dimension with its own Swedish and English labels ("Åldersgrupp" / "Age band"). */
    public Builder dimension(String name, String labelSv, String labelEn, int[] codes, String[] labelsSv, String[] labelsEn) {
      dimension(name, codes, labelsSv, labelsEn);
      return dimensionLabels(name, labelSv, labelEn);
    }

    /** Sets the labels of a dimension added before ("" shows the name). */
    public Builder dimensionLabels(String dimension, String labelSv, String labelEn) {
      steps.add(b -> {
        try (Memory d = NativeArrays.string(dimension, "dimension"); Memory sv = NativeArrays.string(labelSv, "labelSv");
             Memory en = NativeArrays.string(labelEn, "labelEn")) {
          return jamstat_schema_builder_set_dimension_labels(b, d, sv, en);
        }
      });
      return this;
    }

    /** Adds a binary outcome. */
    public Builder outcome(String name, String labelSv, String labelEn) {
      steps.add(b -> {
        try (Memory n = NativeArrays.string(name, "outcome name"); Memory sv = NativeArrays.string(labelSv, "labelSv");
             Memory en = NativeArrays.string(labelEn, "labelEn")) {
          return jamstat_schema_builder_add_outcome(b, n, sv, en);
        }
      });
      return this;
    }

    /** Adds a binary outcome without labels. */
    public Builder outcome(String name) {
      return outcome(name, "", "");
    }

    /** Adds a floating numeric measure with the widest range. */
    public Builder numeric(String name, String unit, String labelSv, String labelEn) {
      steps.add(b -> {
        try (Memory n = NativeArrays.string(name, "measure name"); Memory u = NativeArrays.string(unit, "unit");
             Memory sv = NativeArrays.string(labelSv, "labelSv"); Memory en = NativeArrays.string(labelEn, "labelEn")) {
          return jamstat_schema_builder_add_numeric(b, n, u, sv, en);
        }
      });
      return this;
    }

    /** Adds a numeric measure of either kind, with its range. */
    public Builder measure(MeasureDefinition definition) {
      Objects.requireNonNull(definition, "definition");
      steps.add(b -> {
        try (Memory d = new Memory(jamstat_measure_definition.SIZE);
             Memory n = NativeArrays.string(definition.name(), "measure name");
             Memory u = NativeArrays.string(definition.unit(), "unit");
             Memory sv = NativeArrays.string(definition.labelSv(), "labelSv");
             Memory en = NativeArrays.string(definition.labelEn(), "labelEn")) {
          jamstat_measure_definition.init(d, 0);
          d.setPointer(jamstat_measure_definition.name, n);
          d.setPointer(jamstat_measure_definition.unit, u);
          d.setPointer(jamstat_measure_definition.label_sv, sv);
          d.setPointer(jamstat_measure_definition.label_en, en);
          d.setInt(jamstat_measure_definition.kind, definition.kind().code());
          d.setInt(jamstat_measure_definition.decimals, definition.decimals());
          d.setInt(jamstat_measure_definition.off_grid, definition.offGrid().code());
          d.setInt(jamstat_measure_definition.has_range, definition.hasRange() ? 1 : 0);
          d.setDouble(jamstat_measure_definition.lowest, definition.lowest());
          d.setDouble(jamstat_measure_definition.highest, definition.highest());
          return jamstat_schema_builder_add_measure(b, d);
        }
      });
      return this;
    }

    /**
     * Declares the cross-product set (jamstat_schema_builder_set_cross_products; docs/engine.md,
     * "Cross-products"): outcomes and decimal measures, 2 to 16 names, whose exact sums of
     * products every cell keeps, so that they can be numeric characteristics of
     * {@link Aggregator#oaxacaBlinderNumeric}. Kept in field order whatever order they are given
     * in; a later call replaces the set, no names clear it. The names are checked by build().
     */
    public Builder crossProducts(String... names) {
      return crossProducts(Arrays.asList(Objects.requireNonNull(names, "names")));
    }

    /** As {@link #crossProducts(String...)}, the names as a list. */
    public Builder crossProducts(List<String> names) {
      List<String> list = new ArrayList<>(Objects.requireNonNull(names, "names"));
      for (int i = 0; i < list.size(); ++i) {
        Objects.requireNonNull(list.get(i), "names[" + i + "]");
      }
      steps.add(b -> {
        NativeArrays.StringArray n = new NativeArrays.StringArray(list, "cross-product names");
        int status = jamstat_schema_builder_set_cross_products(b, n.pointers, n.size());  // none: NULL, 0 (clears)
        Reference.reachabilityFence(n);
        return status;
      });
      return this;
    }

    /** Builds the schema (a JamstatException with the C message when a definition is invalid). */
    public Schema build() {
      try (Memory slot = new Memory(Native.POINTER_SIZE)) {
        slot.setPointer(0, null);
        Jamstat.check(jamstat_schema_builder_new(slot));
        try {
          Pointer b = slot.getPointer(0);
          for (Step step : steps) {
            Jamstat.check(step.apply(b));
          }
          try (Memory out = new Memory(Native.POINTER_SIZE)) {
            out.setPointer(0, null);
            Jamstat.check(jamstat_schema_build(b, out));
            return new Schema(out.getPointer(0));
          }
        } finally {
          jamstat_schema_builder_free(slot);
        }
      }
    }
  }
}
