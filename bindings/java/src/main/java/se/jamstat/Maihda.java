package se.jamstat;

import static se.jamstat.abi.JamstatNative.*;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.lang.ref.Reference;
import java.util.Objects;
import se.jamstat.abi.JamstatStructs.jamstat_maihda_model;
import se.jamstat.abi.JamstatStructs.jamstat_maihda_options;

/**
 * MAIHDA (docs/methods-intersectional.md): the null and the additive multilevel models with a
 * random intercept per stratum of sex x the dimensions, fitted as lme4 fits them, from the
 * aggregate state. Close it when done; the models read from it are copies and outlive it.
 */
public final class Maihda extends NativeHandle {
  private final int levelDimensions;

  private Maihda(Pointer handle, int levelDimensions) {
    super(handle, h -> jamstat_maihda_free(h), "MAIHDA");
    this.levelDimensions = levelDimensions;
  }

  static Maihda create(Aggregator aggregator, MaihdaOptions o) {
    Objects.requireNonNull(o, "options");
    NativeArrays.StringArray dims = new NativeArrays.StringArray(o.dimensions, "dimensions");
    try (Memory m = new Memory(jamstat_maihda_options.SIZE); Memory slot = new Memory(Native.POINTER_SIZE)) {
      jamstat_maihda_options.init(m, 0);
      m.setPointer(jamstat_maihda_options.dimensions, dims.pointers);
      m.setLong(jamstat_maihda_options.dimension_count, dims.size());
      if (o.subjectKind != null) {
        m.setInt(jamstat_maihda_options.subject_kind, o.subjectKind.code());
        m.setInt(jamstat_maihda_options.subject, o.subject);
      }
      if (o.criterion != null) {
        m.setInt(jamstat_maihda_options.criterion, o.criterion.code());
      }
      if (o.quadratureNodes != null) {
        m.setInt(jamstat_maihda_options.quadrature_nodes, o.quadratureNodes);
      }
      if (o.intervalLevel != null) {
        m.setDouble(jamstat_maihda_options.interval_level, o.intervalLevel);
      }
      if (o.language != null) {
        m.setInt(jamstat_maihda_options.english, o.language == Language.ENGLISH ? 1 : 0);
      }
      synchronized (aggregator) {
        slot.setPointer(0, null);
        Jamstat.check(jamstat_maihda_new(aggregator.handle(), m, slot));
        return new Maihda(slot.getPointer(0), dims.size() + 1);
      }
    } finally {
      Reference.reachabilityFence(dims);
      Reference.reachabilityFence(aggregator);
    }
  }

  /** One of the two models, copied. */
  public synchronized MaihdaModel model(MaihdaModelKind which) {
    return model(Objects.requireNonNull(which, "which").code());
  }

  /** A model by its C value (JAMSTAT_MAIHDA_*); another value is an error from the library. */
  public synchronized MaihdaModel model(int which) {
    try (Memory m = new Memory(jamstat_maihda_model.SIZE)) {
      jamstat_maihda_model.init(m, 0);
      Jamstat.check(jamstat_maihda_model_get(handle(), which, m));
      return new MaihdaModel(m, levelDimensions);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** The proportional change in variance from the null to the additive model. */
  public synchronized double pcv() {
    return summary(0);
  }

  /** Logistic models: the null model's discriminatory accuracy (AUC); NaN for linear models. */
  public synchronized double aucNull() {
    return summary(1);
  }

  /** Logistic models: the additive model's AUC; NaN for linear models. */
  public synchronized double aucAdditive() {
    return summary(2);
  }

  private double summary(int which) {
    try (Memory value = new Memory(8)) {
      Jamstat.check(jamstat_maihda_summary(handle(), which == 0 ? value : null, which == 1 ? value : null,
                                           which == 2 ? value : null));
      return value.getDouble(0);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /**
   * The additive model's strata whose interaction is clearly non-zero (the intersections the
   * additive model misses), largest first, as indices into its strata.
   */
  public synchronized long[] interactions() {
    try (Memory strata = new Memory(Native.POINTER_SIZE); Memory count = new Memory(8)) {
      strata.setPointer(0, null);
      count.setLong(0, 0);
      Jamstat.check(jamstat_maihda_interactions(handle(), strata, count));
      return NativeArrays.longs(strata.getPointer(0), count.getLong(0));
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** Number of level dimensions of the strata: sex and the options' dimensions. */
  public int levelDimensions() {
    return levelDimensions;
  }
}
