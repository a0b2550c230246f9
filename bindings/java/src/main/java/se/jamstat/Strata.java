package se.jamstat;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import se.jamstat.abi.JamstatStructs.jamstat_strata;

/**
 * The strata of a strata report (jamstat_strata), copied: the stratum-defining dimensions
 * (besides sex), and per stratum its level index in each of them and its labels. A stratum's
 * findings carry grouping dimension 0 and grouping level = the stratum's index here.
 */
public final class Strata {
  private final int[] dimensions;
  private final int[][] levelIndices;
  private final String[] labelsSv;
  private final String[] labelsEn;

  private Strata(Pointer p) {
    long dimensionCount = p.getLong(jamstat_strata.dimension_count);
    long count = p.getLong(jamstat_strata.count);
    long[] dims = NativeArrays.longs(p.getPointer(jamstat_strata.dimensions), dimensionCount);
    dimensions = new int[dims.length];
    levelIndices = new int[dims.length][];
    Pointer levels = p.getPointer(jamstat_strata.level_indices);
    if (levels == null && dims.length > 0) {
      throw new IllegalStateException("the library returned no level indices for " + dims.length + " dimensions");
    }
    for (int d = 0; d < dims.length; ++d) {
      dimensions[d] = Math.toIntExact(dims[d]);
      levelIndices[d] = NativeArrays.ints(levels.getPointer((long) d * Native.POINTER_SIZE), count);
    }
    labelsSv = NativeArrays.strings(p.getPointer(jamstat_strata.label_sv), count);
    labelsEn = NativeArrays.strings(p.getPointer(jamstat_strata.label_en), count);
  }

  static Strata read(Pointer p) {
    return new Strata(p);
  }

  /** Number of strata. */
  public int count() {
    return labelsSv.length;
  }

  /** Schema indices of the stratum-defining dimensions. */
  public int[] dimensions() {
    return dimensions.clone();
  }

  /** Level indices [dimension][stratum]. */
  public int[][] levelIndices() {
    int[][] copy = new int[levelIndices.length][];
    for (int d = 0; d < copy.length; ++d) {
      copy[d] = levelIndices[d].clone();
    }
    return copy;
  }

  /** The stratum's labels, "16–19 år · Utanför Europa", in Swedish or English. */
  public String[] labels(Language language) {
    return (language == Language.ENGLISH ? labelsEn : labelsSv).clone();
  }

  /** The label of one stratum. */
  public String label(int stratum, Language language) {
    return (language == Language.ENGLISH ? labelsEn : labelsSv)[stratum];
  }
}
