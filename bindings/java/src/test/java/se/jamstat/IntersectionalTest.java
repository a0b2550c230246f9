package se.jamstat;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import se.jamstat.abi.JamstatAbi;

/**
 * The intersectional analyses through the binding (strata reports, MAIHDA, Oaxaca-Blinder) on the
 * planted data of tests/c_api/analysis_test.c: 54 strata of sex x age x birth region x education
 * with one planted interaction (young women born outside Europe with upper secondary education),
 * plus a measure `hours` computed per row by a fixed formula (plantedHours).
 *
 * <p>References, recorded beside each check: R 4.2.2 / lme4 1.1.31 for the logistic models (as in
 * analysis_test.c); bindings/java/src/test/reference/planted_hours.R (R 4.2.2, lme4 1.1.31, lm)
 * for the linear models and the decompositions; statsmodels 0.13.5 OaxacaBlinder for in_work
 * (bindings/python/tests/reference/planted_reference.py).
 */
class IntersectionalTest {
  /** Per stratum: sex (0 women, 1 men), age, birth, education, participations, in work. */
  static final int[][] PLANTED = {
      {0, 0, 0, 0, 25, 10}, {0, 0, 0, 1, 55, 29}, {0, 0, 0, 2, 16, 8}, {0, 0, 1, 0, 58, 28}, {0, 0, 1, 1, 26, 16},
      {0, 0, 1, 2, 17, 10}, {0, 0, 2, 0, 31, 7}, {0, 0, 2, 1, 120, 3}, {0, 0, 2, 2, 45, 25}, {0, 1, 0, 0, 41, 26},
      {0, 1, 0, 1, 29, 17}, {0, 1, 0, 2, 55, 38}, {0, 1, 1, 0, 10, 4}, {0, 1, 1, 1, 57, 37}, {0, 1, 1, 2, 12, 7},
      {0, 1, 2, 0, 11, 6}, {0, 1, 2, 1, 5, 0}, {0, 1, 2, 2, 9, 8}, {0, 2, 0, 0, 15, 6}, {0, 2, 0, 1, 44, 10},
      {0, 2, 0, 2, 46, 28}, {0, 2, 1, 0, 38, 19}, {0, 2, 1, 1, 50, 17}, {0, 2, 1, 2, 56, 31}, {0, 2, 2, 0, 7, 3},
      {0, 2, 2, 1, 46, 12}, {0, 2, 2, 2, 51, 20}, {1, 0, 0, 0, 59, 26}, {1, 0, 0, 1, 28, 18}, {1, 0, 0, 2, 57, 39},
      {1, 0, 1, 0, 14, 6}, {1, 0, 1, 1, 17, 9}, {1, 0, 1, 2, 57, 40}, {1, 0, 2, 0, 59, 21}, {1, 0, 2, 1, 39, 19},
      {1, 0, 2, 2, 10, 5}, {1, 1, 0, 0, 60, 33}, {1, 1, 0, 1, 38, 25}, {1, 1, 0, 2, 32, 27}, {1, 1, 1, 0, 37, 27},
      {1, 1, 1, 1, 34, 25}, {1, 1, 1, 2, 41, 32}, {1, 1, 2, 0, 38, 19}, {1, 1, 2, 1, 60, 35}, {1, 1, 2, 2, 44, 31},
      {1, 2, 0, 0, 4, 1}, {1, 2, 0, 1, 21, 16}, {1, 2, 0, 2, 41, 27}, {1, 2, 1, 0, 9, 5}, {1, 2, 1, 1, 20, 8},
      {1, 2, 1, 2, 5, 2}, {1, 2, 2, 0, 44, 18}, {1, 2, 2, 1, 5, 1}, {1, 2, 2, 2, 15, 10}};

  /** The measure of row i of stratum p, as planted_hours.R computes it. */
  static double plantedHours(int[] p, long i) {
    boolean woman = p[0] == 0;
    boolean planted = woman && p[1] == 0 && p[2] == 2 && p[3] == 1;
    return 20 + 5.0 * p[1] - 3.0 * (p[2] == 2 ? 1 : 0) + 4.0 * p[3] - 2.0 * (woman ? 1 : 0) + 10.0 * (planted ? 1 : 0)
        + ((i * 7919) % 601 - 300) / 100.0;
  }

  static Aggregator planted() {
    int[] codes = {0, 1, 2};
    String[] age = {"16–29", "30–49", "50–64"};
    String[] birth = {"Sverige", "Europa utom Sverige", "Utanför Europa"};
    String[] education = {"Förgymnasial", "Gymnasial", "Eftergymnasial"};
    try (Schema s = Schema.builder()
             .dimension("age", codes, age, age)
             .dimension("birth", codes, birth, birth)
             .dimension("education", codes, education, education)
             .outcome("in_work", "I arbete", "In work")
             .measure(MeasureDefinition.floating("hours").unit("h").labels("Timmar", "Hours"))
             .build()) {
      int n = 0;
      for (int[] p : PLANTED) {
        n += p[4];
      }
      byte[] sex = new byte[n];
      byte[] a = new byte[n];
      byte[] b = new byte[n];
      byte[] e = new byte[n];
      byte[] work = new byte[n];
      double[] hours = new double[n];
      int row = 0;
      for (int[] p : PLANTED) {
        for (int i = 0; i < p[4]; ++i, ++row) {
          sex[row] = (byte) (p[0] == 0 ? 2 : 1);  // ISO/IEC 5218: 2 female, 1 male
          a[row] = (byte) p[1];
          b[row] = (byte) p[2];
          e[row] = (byte) p[3];
          work[row] = (byte) (i < p[5] ? 1 : 0);
          hours[row] = plantedHours(p, row);
        }
      }
      Aggregator agg = new Aggregator(s);
      agg.addColumns(n, Column.u8(sex), Column.u8(a), Column.u8(b), Column.u8(e), Column.u8(work), Column.f64(hours));
      return agg;
    }
  }

  static final String[] DIMENSIONS = {"age", "birth", "education"};

  @Test
  void maihdaLogisticAgainstLme4() {
    try (Aggregator a = planted(); Maihda m = a.maihda(new MaihdaOptions().dimensions(DIMENSIONS).outcome(0))) {
      MaihdaModel nullModel = m.model(MaihdaModelKind.NULL);
      MaihdaModel additive = m.model(MaihdaModelKind.ADDITIVE);
      // R (lme4 1.1.31): glmer(in_work ~ 1 + (1 | stratum), data = d, family = binomial): theta 0.73909830962856971
      assertEquals(0.73909830962856971, nullModel.theta(), 1e-5);
      // glmer(in_work ~ sex + age + birth + education + (1 | stratum), ..., family = binomial): theta 0.34738252500937294
      assertEquals(0.34738252500937294, additive.theta(), 1e-4);
      assertEquals(nullModel.theta() * nullModel.theta(), nullModel.betweenVariance(), 1e-12);
      assertEquals(Math.PI * Math.PI / 3, nullModel.residualVariance(), 1e-12);  // the latent scale
      assertEquals((nullModel.betweenVariance() - additive.betweenVariance()) / nullModel.betweenVariance(), m.pcv(), 1e-12);
      // AUC of the null model's stratum predictions (pROC / wilcox.test in R): 0.71240214446301953
      assertEquals(0.71240214446301953, m.aucNull(), 1e-9);
      assertFalse(Double.isNaN(m.aucAdditive()));
      assertEquals(54, nullModel.stratumCount());
      assertEquals(54, additive.labels().length);
      assertEquals(4, additive.levels().length);  // sex, then the three dimensions
      assertEquals(4, m.levelDimensions());
      assertEquals("(Intercept)", additive.terms()[0]);
      assertEquals(1 + 1 + 2 + 2 + 2, additive.terms().length);  // intercept, sex, 2 levels of each dimension
      assertEquals(additive.terms().length, additive.estimates().length);
      assertEquals(additive.terms().length, additive.standardErrors().length);
      long total = 0;
      for (long p : additive.participations()) {
        total += p;
      }
      long expected = 0;
      for (int[] p : PLANTED) {
        expected += p[4];
      }
      assertEquals(expected, total);
      // The planted interaction is the additive model's clearly non-zero stratum.
      long[] interactions = m.interactions();
      assertTrue(interactions.length >= 1);
      int top = Math.toIntExact(interactions[0]);
      assertTrue(additive.clearlyNonzero()[top]);
      String label = additive.labels()[top];
      assertTrue(label.contains("Kvinnor") && label.contains("Utanför Europa") && label.contains("Gymnasial"), label);
      assertEquals(2, additive.levels()[0][top]);  // sex level index 2: women
      assertEquals(0, additive.levels()[1][top]);  // the youngest band
      for (int i = 0; i < 54; ++i) {
        assertTrue(additive.randomEffectLower()[i] <= additive.randomEffect()[i]
                   && additive.randomEffect()[i] <= additive.randomEffectUpper()[i]);
        assertTrue(additive.predictedLower()[i] <= additive.predicted()[i] && additive.predicted()[i] <= additive.predictedUpper()[i]);
        assertTrue(additive.observed()[i] >= 0 && additive.observed()[i] <= 1 && additive.randomEffectSd()[i] > 0);
      }
      JamstatException e = assertThrows(JamstatException.class, () -> m.model(5));
      assertEquals(Status.ERROR_INVALID_ARGUMENT, e.status());
      assertTrue(e.getMessage().contains("which is 5"), e.getMessage());
    }
  }

  /** planted_hours.R: lmer(hours ~ 1 + (1 | stratum)) and lmer(hours ~ male + age + birth + education + (1 | stratum)). */
  static final double[][] LMER = {
      // theta, between variance, residual variance, REMLcrit / deviance
      {3.0854132682587077, 29.351568471919471, 3.0832208073286709, 7681.9353202316006},    // REML, null
      {0.78759574109632502, 1.9100890537977475, 3.0792638089606097, 7530.4553055787856},   // REML, additive
      {3.0565679200765121, 28.805311954451557, 3.0832197658401661, 7683.1597664922301},    // ML, null
      {0.72808477429334595, 1.631649076155778, 3.0779592163332659, 7529.7178734553781}};   // ML, additive

  @Test
  void maihdaLinearAgainstLmer() {
    try (Aggregator a = planted()) {
      int row = 0;
      for (LinearCriterion criterion : LinearCriterion.values()) {
        try (Maihda m = a.maihda(new MaihdaOptions().dimensions(DIMENSIONS).measure(0).criterion(criterion))) {
          for (MaihdaModelKind kind : MaihdaModelKind.values()) {
            MaihdaModel model = m.model(kind);
            double[] ref = LMER[row++];
            String what = criterion + " " + kind;
            // docs/methods-intersectional.md: linear theta and variances within 1e-6 relative of lmer
            assertEquals(ref[0], model.theta(), 1e-6 * ref[0], what);
            assertEquals(ref[1], model.betweenVariance(), 1e-6 * ref[1], what);
            assertEquals(ref[2], model.residualVariance(), 1e-6 * ref[2], what);
            assertEquals(ref[3], model.deviance(), 1e-9 * ref[3], what);
            assertEquals(ref[1] / (ref[1] + ref[2]), model.vpc(), 1e-6, what);
            assertFalse(model.boundary(), what);
          }
          assertTrue(Double.isNaN(m.aucNull()));  // no AUC for linear models
          int top = Math.toIntExact(m.interactions()[0]);  // the planted +10 h stratum
          int[][] levels = m.model(MaihdaModelKind.ADDITIVE).levels();
          assertArrayEquals(new int[] {2, 0, 2, 1}, new int[] {levels[0][top], levels[1][top], levels[2][top], levels[3][top]});
        }
      }
    }
  }

  @Test
  void maihdaOptionsAndErrors() {
    try (Aggregator a = planted()) {
      try (Maihda m = a.maihda(new MaihdaOptions().dimensions("age").outcome(0).language(Language.ENGLISH).quadratureNodes(5)
                                   .intervalLevel(0.9))) {
        MaihdaModel model = m.model(MaihdaModelKind.NULL);
        assertEquals(6, model.stratumCount());  // 2 sexes x 3 age bands
        boolean women = false;
        for (String label : model.labels()) {
          women |= label.contains("Women");
        }
        assertTrue(women, String.join(", ", model.labels()));
      }
      JamstatException e = assertThrows(JamstatException.class,
                                        () -> a.maihda(new MaihdaOptions().dimensions("age").outcome(3)));
      assertEquals(Status.ERROR_INVALID_ARGUMENT, e.status());
      assertTrue(e.getMessage().contains("outcome 3 is out of range"), e.getMessage());
      e = assertThrows(JamstatException.class, () -> a.maihda(new MaihdaOptions().dimensions("nope")));
      assertTrue(e.getMessage().contains("nope"), e.getMessage());
      Maihda closed = a.maihda(new MaihdaOptions().dimensions("age"));
      closed.close();
      assertThrows(IllegalStateException.class, closed::pcv);
    }
  }

  @Test
  void oaxacaBlinderAgainstStatsmodelsAndLm() {
    int women = 0;
    int men = 0;
    for (int[] p : PLANTED) {
      if (p[0] == 0) {
        women += p[4];
      } else {
        men += p[4];
      }
    }
    try (Aggregator a = planted()) {
      try (Decomposition d = a.oaxacaBlinder(new OaxacaOptions().characteristics(DIMENSIONS).outcome(0))) {
        DecompositionResult r = d.result();
        assertEquals(women, r.womenParticipations());
        assertEquals(men, r.menParticipations());
        assertEquals(0, r.otherSexParticipations());
        // statsmodels 0.13.5 OaxacaBlinder(...).two_fold(two_fold_type="pooled") (planted_reference.py):
        //   gap -0.15531878031878033, explained -0.03317553105424607, unexplained -0.12214324926454016
        assertEquals(-0.15531878031878033, r.gap(), 1e-12);
        assertEquals(-0.03317553105424607, r.explained(), 1e-9);
        assertEquals(-0.12214324926454016, r.unexplained(), 1e-9);
        // three_fold() (men's coefficients): endowments -0.013960512321154637, coefficients
        //   -0.10870776603667204, interaction -0.032650501960959546
        assertEquals(-0.013960512321154637, r.endowments(), 1e-9);
        assertEquals(-0.10870776603667204, r.coefficients(), 1e-9);
        assertEquals(-0.032650501960959546, r.interaction(), 1e-9);
        assertTrue(r.gapSe() > 0 && r.explainedSe() > 0 && r.unexplainedSe() > 0);
        assertEquals(r.womenMean() - r.menMean(), r.gap(), 1e-15);
        // The detailed terms (characteristic totals aside) add up to the parts.
        double explained = 0;
        double unexplained = 0;
        int detailed = 0;
        for (int i = 0; i < r.termCount(); ++i) {
          if (!r.isTotal()[i]) {
            explained += r.explainedTerm()[i];
            unexplained += r.unexplainedTerm()[i];
            ++detailed;
          }
        }
        assertEquals(1 + 3 * 3, detailed);
        assertEquals(r.explained(), explained, 1e-12);
        assertEquals(r.unexplained(), unexplained, 1e-12);
        assertEquals("(Intercept)", r.characteristic()[0]);
        assertEquals(r.termCount(), r.level().length);
        assertEquals(r.termCount(), r.explainedTermSe().length);
        assertEquals(r.termCount(), r.unexplainedTermSe().length);
      }
      try (Decomposition d = a.oaxacaBlinder(new OaxacaOptions().characteristics(DIMENSIONS).outcome(0).nonlinear(true))) {
        DecompositionResult r = d.result();
        assertEquals(r.gap(), r.explained() + r.unexplained(), 1e-12);
        assertTrue(Double.isNaN(r.endowments()));  // no threefold parts in Yun's logit decomposition
      }
      try (Decomposition d = a.oaxacaBlinder(new OaxacaOptions().characteristics(DIMENSIONS).measure(0))) {
        DecompositionResult r = d.result();
        // planted_hours.R (lm, pooled with the group indicator): gap 0.51132792792792969,
        //   explained 1.3634903913074623, unexplained -0.85216246337953261
        assertEquals(0.51132792792792969, r.gap(), 1e-9);
        assertEquals(1.3634903913074623, r.explained(), 1e-9);
        assertEquals(-0.85216246337953261, r.unexplained(), 1e-9);
      }
      for (OaxacaReference reference : OaxacaReference.values()) {
        try (Decomposition d = a.oaxacaBlinder(new OaxacaOptions().characteristics("age").outcome(0).reference(reference))) {
          DecompositionResult r = d.result();
          assertEquals(r.gap(), r.explained() + r.unexplained(), 1e-12, reference.toString());
        }
      }
      // The weighted reference at w = 1 is the women's coefficients, at w = 0 the men's.
      try (Decomposition w1 = a.oaxacaBlinder(new OaxacaOptions().characteristics(DIMENSIONS).weighted(1.0));
           Decomposition women1 = a.oaxacaBlinder(new OaxacaOptions().characteristics(DIMENSIONS).reference(OaxacaReference.WOMEN));
           Decomposition w0 = a.oaxacaBlinder(new OaxacaOptions().characteristics(DIMENSIONS).weighted(0.0));
           Decomposition men0 = a.oaxacaBlinder(new OaxacaOptions().characteristics(DIMENSIONS).reference(OaxacaReference.MEN))) {
        assertEquals(women1.result().explained(), w1.result().explained(), 1e-12);
        assertEquals(men0.result().explained(), w0.result().explained(), 1e-12);
      }
      JamstatException e = assertThrows(JamstatException.class,
                                        () -> a.oaxacaBlinder(new OaxacaOptions().characteristics("nope")));
      assertTrue(e.getMessage().contains("nope"), e.getMessage());
    }
  }

  @Test
  void strataReport() {
    try (Aggregator a = planted(); GapReport report = a.strataReport("age", "birth")) {
      Strata st = report.strata();
      assertEquals(9, st.count());  // 3 x 3 strata
      assertArrayEquals(new int[] {1, 2}, st.dimensions());  // schema indices (sex is 0)
      assertEquals("50–64 · Utanför Europa", st.label(8, Language.SWEDISH));
      assertEquals("16–29 · Sverige", st.labels(Language.ENGLISH)[0]);
      assertArrayEquals(new int[] {0, 0, 0, 1, 1, 1, 2, 2, 2}, st.levelIndices()[0]);
      assertArrayEquals(new int[] {0, 1, 2, 0, 1, 2, 0, 1, 2}, st.levelIndices()[1]);
      Findings f = report.findings();
      int inStrata = 0;
      int youngSwedes = -1;
      for (int i = 0; i < f.count(); ++i) {
        if (f.groupingDimension()[i] == 0 && f.kind()[i] == JamstatAbi.JAMSTAT_FINDING_OUTCOME) {
          ++inStrata;
          if (f.groupingLevel()[i] == 0) {
            youngSwedes = i;
          }
        }
      }
      assertEquals(9, inStrata);
      // A stratum's finding against direct counts of the planted table.
      long base = 0;
      long amount = 0;
      for (int[] p : PLANTED) {
        if (p[0] == 0 && p[1] == 0 && p[2] == 0) {
          base += p[4];
          amount += p[5];
        }
      }
      assertTrue(youngSwedes >= 0);
      assertEquals(base, f.women().base()[youngSwedes], 1e-9);
      assertEquals(amount, f.women().amount()[youngSwedes], 1e-9);
    }
    try (Aggregator a = planted()) {
      try (GapReport plain = a.gapReport(null)) {  // a plain gap report has no strata
        Strata none = plain.strata();
        assertEquals(0, none.count());
        assertEquals(0, none.dimensions().length);
      }
      JamstatException e = assertThrows(JamstatException.class, () -> a.strataReport("nope"));
      assertTrue(e.getMessage().contains("nope"), e.getMessage());
    }
  }
}
