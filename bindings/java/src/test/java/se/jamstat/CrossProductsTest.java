package se.jamstat;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Cross-product sets (Schema.Builder.crossProducts, Schema.crossProducts) and the Oaxaca-Blinder
 * decomposition with numeric characteristics (Aggregator.oaxacaBlinderNumeric).
 *
 * <p>The microdata are those of tests/c_api/cross_products_test.c (row_of, the same integer
 * formulas), and so are the reference values: R 4.2.2, stats::lm, women: lm(income ~ hours + cost),
 * men: the same, pooled: lm(income ~ hours + cost + female) (Jann 2008's pooled coefficients with a
 * group indicator), and the same with hours + region (tests/reference/analysis/oaxaca_cross_products.R).
 * The linear probability model of work on hours and cost: numpy.linalg.lstsq on the same microdata
 * (bindings/python/tests/test_cross_products.py, ols_decomposition("work", ["hours", "cost"]),
 * printed with repr()).
 */
class CrossProductsTest {
  static final int ROWS = 3000;

  static Schema schema(boolean withSet) {
    Schema.Builder b = Schema.builder()
        .dimension("region", new int[] {1, 2, 3}, new String[] {"Norr", "Mitt", "Söder"},
                   new String[] {"North", "Middle", "South"})
        .outcome("work", "I arbete", "In work")
        .measure(MeasureDefinition.decimal("hours", 2).unit("h").range(0, 100))
        .measure(MeasureDefinition.decimal("cost", 0).unit("SEK").range(0, 10000))
        .measure(MeasureDefinition.decimal("income", 0).unit("SEK").range(0, 100000));
    if (withSet) {
      b.crossProducts("income", "work", "cost", "hours");  // any order: kept in field order
    }
    return b.build();
  }

  /** row_of(i) of cross_products_test.c, rows in the given order. */
  static Aggregator aggregate(Schema s, boolean reverse) {
    byte[] sex = new byte[ROWS];
    byte[] region = new byte[ROWS];
    byte[] work = new byte[ROWS];
    double[] hours = new double[ROWS];
    double[] cost = new double[ROWS];
    double[] income = new double[ROWS];
    for (int k = 0; k < ROWS; ++k) {
      long i = reverse ? ROWS - 1 - k : k;
      int sexCode = i % 61 == 60 ? 9 : i % 2 == 0 ? 2 : 1;
      boolean female = sexCode == 2;
      long r = i % 3 + 1;
      long hoursUnits = (i * 7919) % 4001 + 500;
      long c = (i * 104729) % 3001 + 200;
      long noise = (i * 6007) % 501 - 250;
      sex[k] = (byte) sexCode;
      region[k] = (byte) r;
      work[k] = (byte) ((i * 31) % 7 < 3 + (hoursUnits > 2500 ? 1 : 0) ? 1 : 0);
      hours[k] = hoursUnits / 100.0;
      cost[k] = c;
      income[k] = (hoursUnits * (female ? 17 : 23)) / 10 + c / 4 + 150 * r + noise + (female ? 0 : 800);
    }
    Aggregator a = new Aggregator(s);
    a.addColumns(ROWS, Column.u8(sex), Column.u8(region), Column.u8(work), Column.f64(hours), Column.f64(cost), Column.f64(income));
    return a;
  }

  static void near(double expected, double actual, double relative) {
    assertEquals(expected, actual, relative * Math.abs(expected), "expected " + expected + ", got " + actual);
  }

  @Test
  void theSetRoundTripsItsNames() {
    try (Schema s = schema(true); Schema plain = schema(false)) {
      assertEquals(Arrays.asList("work", "hours", "cost", "income"), s.crossProducts());
      assertEquals(List.of(), plain.crossProducts());
      assertNotEquals(s.fingerprint(), plain.fingerprint());  // part of the fingerprint
    }
    try (Schema s = Schema.builder().measure(MeasureDefinition.decimal("a", 1)).measure(MeasureDefinition.decimal("b", 0))
             .crossProducts(List.of("b", "a")).build()) {
      assertEquals(List.of("a", "b"), s.crossProducts());
    }
  }

  @Test
  void aSetTheSchemaCannotKeepIsRefusedWhenBuilt() {
    Schema.Builder b = Schema.builder().dimension("region", new int[] {1}, new String[] {"Norr"}, new String[] {"North"})
        .numeric("hours", "h", "", "").measure(MeasureDefinition.decimal("cost", 0)).crossProducts("hours", "cost");
    JamstatException e = assertThrows(JamstatException.class, b::build);
    assertEquals(Status.ERROR_INVALID_SCHEMA, e.status());
    assertTrue(e.getMessage().contains("hours"), e.getMessage());
    b.crossProducts();  // cleared
    try (Schema s = b.build()) {
      assertTrue(s.crossProducts().isEmpty());
    }
  }

  /**
   * The batch equals the same records one at a time, with and without a set (the columnar path of
   * a schema with decimal measures and no set is the one fixed on main in fa410c0: it crashed).
   */
  @Test
  void aBatchEqualsTheSameRecordsOneAtATime() {
    for (boolean withSet : new boolean[] {false, true}) {
      try (Schema s = schema(withSet); Aggregator batch = aggregate(s, false); Aggregator oneByOne = new Aggregator(s)) {
        for (int i = 0; i < ROWS; ++i) {
          int sexCode = i % 61 == 60 ? 9 : i % 2 == 0 ? 2 : 1;
          long hoursUnits = (i * 7919L) % 4001 + 500;
          long c = (i * 104729L) % 3001 + 200;
          long income = (hoursUnits * (sexCode == 2 ? 17 : 23)) / 10 + c / 4 + 150L * (i % 3 + 1) + ((i * 6007L) % 501 - 250)
              + (sexCode == 2 ? 0 : 800);
          int work = (i * 31L) % 7 < 3 + (hoursUnits > 2500 ? 1 : 0) ? 1 : 0;
          oneByOne.add(new int[] {sexCode, i % 3 + 1}, new int[] {work}, new double[] {hoursUnits / 100.0, c, income});
        }
        assertArrayEquals(oneByOne.serialize(), batch.serialize(), "with set: " + withSet);
      }
    }
  }

  @Test
  void statesSerializeAndDeserializeWithTheirSums() {
    try (Schema s = schema(true); Aggregator a = aggregate(s, false); Aggregator backwards = aggregate(s, true)) {
      byte[] state = a.serialize();
      assertArrayEquals(state, backwards.serialize());  // exact sums: any order of the records
      try (Aggregator back = Aggregator.deserialize(state, null); Schema bs = back.schema()) {
        assertEquals(List.of("work", "hours", "cost", "income"), bs.crossProducts());
        assertArrayEquals(state, back.serialize());
        try (Decomposition d1 = back.oaxacaBlinderNumeric(new OaxacaOptions().measure(2), "hours", "cost");
             Decomposition d2 = a.oaxacaBlinderNumeric(new OaxacaOptions().measure(2), "hours", "cost")) {
          assertEquals(d2.result().explained(), d1.result().explained(), 0.0);
          assertEquals(d2.result().interaction(), d1.result().interaction(), 0.0);
        }
      }
    }
  }

  @Test
  void theDecompositionGivesTheValuesOfLm() {
    try (Schema s = schema(true); Aggregator a = aggregate(s, false)) {
      try (Decomposition d = a.oaxacaBlinderNumeric(new OaxacaOptions().measure(2), "hours", "cost")) {
        DecompositionResult r = d.result();
        assertEquals(49, r.otherSexParticipations());
        assertEquals(ROWS, r.womenParticipations() + r.menParticipations() + 49);
        near(-2298.4490106104449, r.gap(), 1e-12);
        near(3.1904975264796742, r.explained(), 1e-9);
        near(-2301.6395081369246, r.unexplained(), 1e-9);
        near(3.3793748680356561, r.endowments(), 1e-9);
        near(-2301.4951746797528, r.coefficients(), 1e-9);
        near(-0.33321079873025328, r.interaction(), 1e-9);
        assertEquals(3, r.termCount());  // intercept, hours, cost
        assertEquals("hours", r.characteristic()[1]);
        near(1.265499413001878, r.explainedTerm()[1], 1e-9);
        near(1.9249981134777963, r.explainedTerm()[2], 1e-9);
        assertTrue(r.gapSe() > 0 && r.explainedSe() > 0);
      }
      try (Decomposition d = a.oaxacaBlinderNumeric(new OaxacaOptions().measure(2).characteristics("region"),
                                                    List.of("hours"))) {
        DecompositionResult r = d.result();
        near(-2298.4490106104449, r.gap(), 1e-12);
        near(1.3681381700065391, r.explained(), 1e-9);
        near(-2299.8171487804516, r.unexplained(), 1e-9);
        near(1.5571794951185765, r.endowments(), 1e-9);
        near(-2299.6293653233106, r.coefficients(), 1e-9);
        near(-0.37682478225230781, r.interaction(), 1e-9);
      }
      try (Decomposition d = a.oaxacaBlinderNumeric(new OaxacaOptions().outcome(0), "hours", "cost")) {
        DecompositionResult r = d.result();
        // numpy.linalg.lstsq (see the class comment): the linear probability model of work
        // (small values: absolute tolerances, as the C++ test's 1e-8 for this model)
        assertEquals(LPM_GAP, r.gap(), 1e-15);
        assertEquals(LPM_EXPLAINED, r.explained(), 1e-12);
        assertEquals(LPM_UNEXPLAINED, r.unexplained(), 1e-12);
        assertEquals(LPM_ENDOWMENTS, r.endowments(), 1e-12);
        assertEquals(LPM_COEFFICIENTS, r.coefficients(), 1e-12);
        assertEquals(LPM_INTERACTION, r.interaction(), 1e-12);
      }
    }
  }

  @Test
  void badRequestsSayWhat() {
    try (Schema plain = schema(false); Aggregator without = aggregate(plain, false)) {
      JamstatException e = assertThrows(JamstatException.class,
                                        () -> without.oaxacaBlinderNumeric(new OaxacaOptions().measure(2), "hours"));
      assertEquals(Status.ERROR_INVALID_ARGUMENT, e.status());
      assertTrue(e.getMessage().contains("cross-product"), e.getMessage());
    }
    try (Schema s = schema(true); Aggregator a = aggregate(s, false)) {
      JamstatException e = assertThrows(JamstatException.class,
                                        () -> a.oaxacaBlinderNumeric(new OaxacaOptions().measure(2), "days"));
      assertEquals(Status.ERROR_INVALID_ARGUMENT, e.status());
      assertTrue(e.getMessage().contains("days"), e.getMessage());
      e = assertThrows(JamstatException.class,
                       () -> a.oaxacaBlinderNumeric(new OaxacaOptions().measure(2).nonlinear(true), "hours"));
      assertTrue(e.getMessage().contains("linear"), e.getMessage());
      assertThrows(NullPointerException.class, () -> a.oaxacaBlinderNumeric(new OaxacaOptions(), (List<String>) null));
    }
  }

  // numpy 1.24 (Debian 12), bindings/python/tests/test_cross_products.py:
  //   r = ols_decomposition("work", ["hours", "cost"]); repr(float(r[part])) for each part
  static final double LPM_GAP = -0.0003385237242202743;
  static final double LPM_EXPLAINED = 0.00015135493290501496;
  static final double LPM_UNEXPLAINED = -0.0004898786571252893;
  static final double LPM_ENDOWMENTS = 0.00016156427764924038;
  static final double LPM_COEFFICIENTS = -0.0004795515691431067;
  static final double LPM_INTERACTION = -2.0536432727276678e-05;
}
