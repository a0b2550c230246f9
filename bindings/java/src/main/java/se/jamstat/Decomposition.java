package se.jamstat;

import static se.jamstat.abi.JamstatNative.*;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.lang.ref.Reference;
import java.util.List;
import java.util.Objects;
import se.jamstat.abi.JamstatStructs.jamstat_decomposition_result;
import se.jamstat.abi.JamstatStructs.jamstat_oaxaca_options;

/**
 * An Oaxaca-Blinder decomposition of the gap between women and men (docs/methods-intersectional.md),
 * computed from the aggregate state. Close it when done; {@link #result()} is a copy that outlives it.
 */
public final class Decomposition extends NativeHandle {
  private Decomposition(Pointer handle) {
    super(handle, h -> jamstat_decomposition_free(h), "decomposition");
  }

  static Decomposition oaxaca(Aggregator aggregator, OaxacaOptions o) {
    return create(aggregator, o, null);
  }

  /**
   * jamstat_oaxaca_numeric_new: numeric characteristics `numeric` (names in the schema's
   * cross-product set, one column each, in this order) besides the options' dimensions.
   */
  static Decomposition oaxacaNumeric(Aggregator aggregator, OaxacaOptions o, List<String> numeric) {
    Objects.requireNonNull(numeric, "numeric");
    return create(aggregator, o, numeric);
  }

  private static Decomposition create(Aggregator aggregator, OaxacaOptions o, List<String> numeric) {
    Objects.requireNonNull(o, "options");
    NativeArrays.StringArray chars = new NativeArrays.StringArray(o.characteristics, "characteristics");
    NativeArrays.StringArray numerics = numeric == null ? null : new NativeArrays.StringArray(numeric, "numeric");
    try (Memory m = new Memory(jamstat_oaxaca_options.SIZE); Memory slot = new Memory(Native.POINTER_SIZE)) {
      jamstat_oaxaca_options.init(m, 0);
      m.setPointer(jamstat_oaxaca_options.characteristics, chars.pointers);
      m.setLong(jamstat_oaxaca_options.characteristic_count, chars.size());
      if (o.subjectKind != null) {
        m.setInt(jamstat_oaxaca_options.subject_kind, o.subjectKind.code());
        m.setInt(jamstat_oaxaca_options.subject, o.subject);
      }
      if (o.reference != null) {
        m.setInt(jamstat_oaxaca_options.reference, o.reference.code());
      }
      if (o.womenWeight != null) {
        m.setDouble(jamstat_oaxaca_options.women_weight, o.womenWeight);
      }
      if (o.nonlinear != null) {
        m.setInt(jamstat_oaxaca_options.nonlinear, o.nonlinear ? 1 : 0);
      }
      if (o.language != null) {
        m.setInt(jamstat_oaxaca_options.english, o.language == Language.ENGLISH ? 1 : 0);
      }
      synchronized (aggregator) {
        slot.setPointer(0, null);
        if (numerics == null) {
          Jamstat.check(jamstat_oaxaca_new(aggregator.handle(), m, slot));
        } else {
          Jamstat.check(jamstat_oaxaca_numeric_new(aggregator.handle(), m, numerics.pointers, numerics.size(), slot));
        }
        return new Decomposition(slot.getPointer(0));
      }
    } finally {
      Reference.reachabilityFence(chars);
      Reference.reachabilityFence(numerics);
      Reference.reachabilityFence(aggregator);
    }
  }

  /** The decomposition, copied. */
  public synchronized DecompositionResult result() {
    try (Memory r = new Memory(jamstat_decomposition_result.SIZE)) {
      jamstat_decomposition_result.init(r, 0);
      Jamstat.check(jamstat_decomposition_result_get(handle(), r));
      return new DecompositionResult(r);
    } finally {
      Reference.reachabilityFence(this);
    }
  }
}
