package se.jamstat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * What an Oaxaca-Blinder decomposition decomposes (jamstat_oaxaca_options). Unset values keep
 * the C defaults of JAMSTAT_OAXACA_OPTIONS_INIT: outcome 0, the pooled reference with a group
 * indicator, the linear decomposition, Swedish labels.
 */
public final class OaxacaOptions {
  List<String> characteristics = Collections.emptyList();
  SubjectKind subjectKind;
  Integer subject;
  OaxacaReference reference;
  Double womenWeight;
  Boolean nonlinear;
  Language language;

  /** The legitimate characteristics: names of dimensions besides sex. */
  public OaxacaOptions characteristics(String... names) {
    List<String> list = new ArrayList<>(Arrays.asList(Objects.requireNonNull(names, "names")));
    for (int i = 0; i < list.size(); ++i) {
      Objects.requireNonNull(list.get(i), "names[" + i + "]");
    }
    characteristics = Collections.unmodifiableList(list);
    return this;
  }

  /** Decompose the gap in a binary outcome's proportion (by the outcome's index). */
  public OaxacaOptions outcome(int index) {
    subjectKind = SubjectKind.OUTCOME;
    subject = index;
    return this;
  }

  /** Decompose the gap in a numeric measure's mean (by the measure's index). */
  public OaxacaOptions measure(int index) {
    subjectKind = SubjectKind.MEASURE;
    subject = index;
    return this;
  }

  /** The reference coefficients. */
  public OaxacaOptions reference(OaxacaReference reference) {
    this.reference = Objects.requireNonNull(reference, "reference");
    return this;
  }

  /** The weighted reference w x women's + (1 - w) x men's coefficients. */
  public OaxacaOptions weighted(double womenWeight) {
    this.reference = OaxacaReference.WEIGHTED;
    this.womenWeight = womenWeight;
    return this;
  }

  /** Outcomes: Yun's logit decomposition instead of the linear one. */
  public OaxacaOptions nonlinear(boolean nonlinear) {
    this.nonlinear = nonlinear;
    return this;
  }

  /** The language of the labels (Swedish by default). */
  public OaxacaOptions language(Language language) {
    this.language = Objects.requireNonNull(language, "language");
    return this;
  }
}
