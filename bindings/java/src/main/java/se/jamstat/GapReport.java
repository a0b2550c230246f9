package se.jamstat;

import static se.jamstat.abi.JamstatNative.*;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;
import se.jamstat.abi.JamstatStructs.jamstat_findings;
import se.jamstat.abi.JamstatStructs.jamstat_gap_options;
import se.jamstat.abi.JamstatStructs.jamstat_strata;

/**
 * The gap report (docs/methods-gap.md): women and men compared in who participates, which
 * sub-interventions they are offered, which results they achieve and which resources they get,
 * raw and adjusted, in one period or two, with q-values over every test and verdicts in Swedish
 * and English; or a strata report, the same comparisons in every stratum of some dimensions
 * crossed with sex. Close it when done.
 */
public final class GapReport extends NativeHandle {
  GapReport(Pointer handle) {
    super(handle, h -> jamstat_gap_report_free(h), "gap report");
  }

  static GapReport create(Aggregator aggregator, GapOptions o) {
    return create(aggregator, null, o);
  }

  /**
   * The gap report (strata == null: jamstat_gap_report_new) or the strata report over the strata
   * of these dimensions crossed with sex (jamstat_strata_report_new, which takes the same options
   * but no compared or adjusting dimensions, target group or previous period).
   */
  static GapReport create(Aggregator aggregator, List<String> strata, GapOptions o) {
    List<Object> keep = new ArrayList<>();
    try (Memory m = new Memory(jamstat_gap_options.SIZE); Memory slot = new Memory(Native.POINTER_SIZE)) {
      jamstat_gap_options.init(m, 0);
      names(m, jamstat_gap_options.compare_across, jamstat_gap_options.compare_across_count, o.compareAcross, "compareAcross", keep);
      names(m, jamstat_gap_options.adjust_for, jamstat_gap_options.adjust_for_count, o.adjustFor, "adjustFor", keep);
      names(m, jamstat_gap_options.offered_outcomes, jamstat_gap_options.offered_outcome_count, o.offeredOutcomes,
            "offeredOutcomes", keep);
      if (o.currentPeriod != null) {
        Memory s = NativeArrays.string(o.currentPeriod, "currentPeriod");
        keep.add(s);
        m.setPointer(jamstat_gap_options.current_period, s);
      }
      if (o.previousPeriod != null) {
        Memory s = NativeArrays.string(o.previousPeriod, "previousPeriod");
        keep.add(s);
        m.setPointer(jamstat_gap_options.previous_period, s);
      }
      if (o.confidenceLevel != null) {
        m.setDouble(jamstat_gap_options.confidence_level, o.confidenceLevel);
      }
      if (o.minimumPersons != null) {
        m.setLong(jamstat_gap_options.minimum_persons, o.minimumPersons);
      }
      if (o.continuityCorrection != null) {
        m.setInt(jamstat_gap_options.continuity_correction, o.continuityCorrection ? 1 : 0);
      }
      if (o.exactRule != null) {
        m.setInt(jamstat_gap_options.exact_rule, o.exactRule.code());
      }
      if (o.maxExactSteps != null) {
        m.setLong(jamstat_gap_options.max_exact_steps, o.maxExactSteps);
      }
      if (o.monteCarloReplicates != null) {
        m.setLong(jamstat_gap_options.monte_carlo_replicates, o.monteCarloReplicates);
      }
      if (o.seed != null) {
        m.setLong(jamstat_gap_options.seed, o.seed);
      }
      // The target group and the previous period are read during the call: hold their locks.
      Object targetLock = o.target == null ? new Object() : o.target;
      Object previousLock = o.previous == null || o.previous == aggregator ? new Object() : o.previous;
      synchronized (aggregator) {
        synchronized (targetLock) {
          synchronized (previousLock) {
            if (o.target != null) {
              m.setPointer(jamstat_gap_options.target, o.target.handle());
            }
            if (o.previous != null) {
              m.setPointer(jamstat_gap_options.previous, o.previous.handle());
            }
            slot.setPointer(0, null);
            if (strata == null) {
              Jamstat.check(jamstat_gap_report_new(aggregator.handle(), m, slot));
            } else {
              NativeArrays.StringArray dims = new NativeArrays.StringArray(strata, "dimensions");
              keep.add(dims);
              Jamstat.check(jamstat_strata_report_new(aggregator.handle(), dims.pointers, dims.size(), m, slot));
            }
            return new GapReport(slot.getPointer(0));
          }
        }
      }
    } finally {
      Reference.reachabilityFence(keep);
      Reference.reachabilityFence(aggregator);
      Reference.reachabilityFence(o);
    }
  }

  private static void names(Memory m, long pointerAt, long countAt, List<String> names, String what, List<Object> keep) {
    if (names.isEmpty()) {
      return;
    }
    NativeArrays.StringArray a = new NativeArrays.StringArray(names, what);
    keep.add(a);
    m.setPointer(pointerAt, a.pointers);
    m.setLong(countAt, a.size());
  }

  /** The findings table, copied into Java arrays (see {@link Findings}; jamstat.h documents each column). */
  public synchronized Findings findings() {
    try (Memory f = new Memory(jamstat_findings.SIZE)) {
      jamstat_findings.init(f, 0);
      Jamstat.check(jamstat_gap_report_findings(handle(), f));
      return Findings.read(f, 0);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /**
   * The strata of a strata report ({@link Aggregator#strataReport}): a stratum's findings have
   * grouping dimension 0 and grouping level = its index here. A plain gap report has none (an error).
   */
  public synchronized Strata strata() {
    try (Memory st = new Memory(jamstat_strata.SIZE)) {
      jamstat_strata.init(st, 0);
      Jamstat.check(jamstat_gap_report_strata(handle(), st));
      return Strata.read(st);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** Tests in the report: the family of the q-values. */
  public synchronized long tests() {
    try (Memory tests = new Memory(8)) {
      Jamstat.check(jamstat_gap_report_tests(handle(), tests, null));
      return tests.getLong(0);
    } finally {
      Reference.reachabilityFence(this);
    }
  }

  /** The significance level: 1 - the confidence level. */
  public synchronized double significanceLevel() {
    try (Memory level = new Memory(8)) {
      Jamstat.check(jamstat_gap_report_tests(handle(), null, level));
      return level.getDouble(0);
    } finally {
      Reference.reachabilityFence(this);
    }
  }
}
