package se.jamstat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * What the gap report compares (jamstat_gap_options). Unset values keep the C defaults of
 * JAMSTAT_GAP_OPTIONS_INIT (confidence 0.95, at least 10 women and 10 men, no continuity
 * correction, exact tests when an expected count is below 5, ...).
 */
public final class GapOptions {
  List<String> compareAcross = Collections.emptyList();
  List<String> adjustFor = Collections.emptyList();
  List<String> offeredOutcomes = Collections.emptyList();
  TargetGroup target;
  Aggregator previous;
  String currentPeriod;
  String previousPeriod;
  Double confidenceLevel;
  Long minimumPersons;
  Boolean continuityCorrection;
  ExactRule exactRule;
  Long maxExactSteps;
  Long monteCarloReplicates;
  Long seed;

  /** Dimension names: findings per level and the distribution over them. */
  public GapOptions compareAcross(String... dimensions) {
    compareAcross = copy(dimensions);
    return this;
  }

  /** Legitimate factors (dimension names) to stratify by. */
  public GapOptions adjustFor(String... dimensions) {
    adjustFor = copy(dimensions);
    return this;
  }

  /** Outcomes that are offered sub-interventions (delinsatser), not results. */
  public GapOptions offeredOutcomes(String... outcomes) {
    offeredOutcomes = copy(outcomes);
    return this;
  }

  /** The target group of the participation findings (kept open by the caller until the report is built). */
  public GapOptions target(TargetGroup target) {
    this.target = target;
    return this;
  }

  /** The previous period's aggregator (same schema): its findings and the change of every gap. */
  public GapOptions previous(Aggregator previous, String previousPeriod) {
    this.previous = previous;
    this.previousPeriod = previousPeriod;
    return this;
  }

  /** The current period's label, e.g. "2025". */
  public GapOptions currentPeriod(String label) {
    this.currentPeriod = label;
    return this;
  }

  public GapOptions confidenceLevel(double level) {
    this.confidenceLevel = level;
    return this;
  }

  /** At least this many women and men to compare. */
  public GapOptions minimumPersons(long persons) {
    this.minimumPersons = persons;
    return this;
  }

  /** Yates / Cochran-Mantel-Haenszel continuity correction. */
  public GapOptions continuityCorrection(boolean correct) {
    this.continuityCorrection = correct;
    return this;
  }

  public GapOptions exactRule(ExactRule rule) {
    this.exactRule = Objects.requireNonNull(rule, "rule");
    return this;
  }

  /** Beyond this many steps an exact test becomes a Monte-Carlo estimate. */
  public GapOptions maxExactSteps(long steps) {
    this.maxExactSteps = steps;
    return this;
  }

  public GapOptions monteCarloReplicates(long replicates) {
    this.monteCarloReplicates = replicates;
    return this;
  }

  /** Seed of the Monte-Carlo estimates. */
  public GapOptions seed(long seed) {
    this.seed = seed;
    return this;
  }

  private static List<String> copy(String[] names) {
    List<String> list = new ArrayList<>(Arrays.asList(Objects.requireNonNull(names, "names")));
    for (int i = 0; i < list.size(); ++i) {
      Objects.requireNonNull(list.get(i), "names[" + i + "]");
    }
    return Collections.unmodifiableList(list);
  }
}
