package se.jamstat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * What a MAIHDA fits (jamstat_maihda_options). Unset values keep the C defaults of
 * JAMSTAT_MAIHDA_OPTIONS_INIT: outcome 0 (logistic models), REML for linear models, Laplace
 * (1 quadrature node) for logistic ones, 95% intervals, Swedish labels.
 */
public final class MaihdaOptions {
  List<String> dimensions = Collections.emptyList();
  SubjectKind subjectKind;
  Integer subject;
  LinearCriterion criterion;
  Integer quadratureNodes;
  Double intervalLevel;
  Language language;

  /** The stratum-defining dimensions besides sex (sex is always one). */
  public MaihdaOptions dimensions(String... names) {
    List<String> list = new ArrayList<>(Arrays.asList(Objects.requireNonNull(names, "names")));
    for (int i = 0; i < list.size(); ++i) {
      Objects.requireNonNull(list.get(i), "names[" + i + "]");
    }
    dimensions = Collections.unmodifiableList(list);
    return this;
  }

  /** A binary outcome (by its index among the schema's outcomes): logistic models. */
  public MaihdaOptions outcome(int index) {
    subjectKind = SubjectKind.OUTCOME;
    subject = index;
    return this;
  }

  /** A numeric measure (by its index among the schema's measures): linear models. */
  public MaihdaOptions measure(int index) {
    subjectKind = SubjectKind.MEASURE;
    subject = index;
    return this;
  }

  /** Linear models: REML (the default, as lmer) or ML. */
  public MaihdaOptions criterion(LinearCriterion criterion) {
    this.criterion = Objects.requireNonNull(criterion, "criterion");
    return this;
  }

  /** Logistic models: 1 = Laplace (glmer's default), 2..25 = adaptive Gauss-Hermite quadrature. */
  public MaihdaOptions quadratureNodes(int nodes) {
    this.quadratureNodes = nodes;
    return this;
  }

  /** Level of the intervals (0.95). */
  public MaihdaOptions intervalLevel(double level) {
    this.intervalLevel = level;
    return this;
  }

  /** The language of the stratum labels (Swedish by default). */
  public MaihdaOptions language(Language language) {
    this.language = Objects.requireNonNull(language, "language");
    return this;
  }
}
