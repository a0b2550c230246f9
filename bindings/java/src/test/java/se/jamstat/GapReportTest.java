package se.jamstat;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import se.jamstat.abi.JamstatAbi;

/**
 * The gap report on R's UCBAdmissions (4,526 applicants by sex and department), added in bulk
 * from Java arrays: the raw gap, and the gap adjusted for department, against R 4.2.2.
 */
class GapReportTest {
  /** Per department A-F: women admitted, women applicants, men admitted, men applicants (aperm(UCBAdmissions, c(2, 1, 3))). */
  static final int[][] UCB = {{89, 108, 512, 825}, {17, 25, 353, 560}, {202, 593, 120, 325},
                              {131, 375, 138, 417}, {94, 393, 53, 191}, {24, 341, 22, 373}};

  static Schema schema() {
    return Schema.builder()
        .dimension("department", "Institution", "Department", new int[] {0, 1, 2, 3, 4, 5},
                   new String[] {"A", "B", "C", "D", "E", "F"}, new String[] {"A", "B", "C", "D", "E", "F"})
        .outcome("admitted", "Antagen", "Admitted")
        .build();
  }

  static void addUcb(Aggregator a) {
    int n = 4526;
    byte[] sex = new byte[n];
    byte[] department = new byte[n];
    byte[] admitted = new byte[n];
    int row = 0;
    for (int d = 0; d < 6; ++d) {
      for (int women = 1; women >= 0; --women) {
        int yes = UCB[d][women == 1 ? 0 : 2];
        int all = UCB[d][women == 1 ? 1 : 3];
        for (int i = 0; i < all; ++i, ++row) {
          sex[row] = (byte) (women == 1 ? 2 : 1);
          department[row] = (byte) d;
          admitted[row] = (byte) (i < yes ? 1 : 0);
        }
      }
    }
    assertEquals(n, row);
    a.addColumns(n, Column.u8(sex), Column.u8(department), Column.u8(admitted));
  }

  @Test
  void rawAndAdjustedGapsAgainstR() {
    try (Schema s = schema(); Aggregator a = new Aggregator(s)) {
      addUcb(a);
      try (GapReport report = a.gapReport(new GapOptions().adjustFor("department").currentPeriod("1973"))) {
        Findings f = report.findings();
        assertTrue(f.count() > 0 && report.tests() > 0);
        assertEquals(0.05, report.significanceLevel(), 1e-12);
        int raw = -1;
        int adjusted = -1;
        for (int i = 0; i < f.count(); ++i) {
          if (f.kind()[i] == JamstatAbi.JAMSTAT_FINDING_OUTCOME && f.groupingDimension()[i] == -1
              && f.period()[i] == JamstatAbi.JAMSTAT_PERIOD_CURRENT) {
            if (f.adjusted()[i] != 0) {
              adjusted = i;
            } else {
              raw = i;
            }
          }
        }
        assertTrue(raw >= 0 && adjusted >= 0);
        // Raw: women 557 of 1835, men 1198 of 2691 admitted.
        assertEquals(557, f.women().amount()[raw]);
        assertEquals(1835, f.women().base()[raw]);
        assertEquals(1198, f.men().amount()[raw]);
        assertEquals(2691, f.men().base()[raw]);
        assertEquals(557.0 / 1835 - 1198.0 / 2691, f.difference()[raw], 1e-12);
        assertEquals(JamstatAbi.JAMSTAT_EFFECT_PROPORTION_DIFFERENCE, f.effect()[raw]);
        // R 4.2.2: prop.test(c(557, 1198), c(1835, 2691), correct = FALSE)$p.value = 7.8136003889945305e-22
        assertEquals(7.8136003889945305e-22, f.pValue()[raw], 1e-9 * 7.8136003889945305e-22);
        // R 4.2.2: x <- aperm(UCBAdmissions, c(2, 1, 3))[2:1, , ]; m <- mantelhaen.test(x, correct = FALSE)
        //   m$estimate = 1.1053426615022164, m$p.value = 0.21692369705551723
        assertEquals(1.1053426615022164, f.oddsRatio()[adjusted], 1e-10);
        assertEquals(0.21692369705551723, f.pValue()[adjusted], 1e-10);
        assertEquals(JamstatAbi.JAMSTAT_TEST_COCHRAN_MANTEL_HAENSZEL, f.method()[adjusted]);
        assertEquals(1L << 1, f.adjustedFor()[adjusted], "schema dimension 1");
        assertEquals("institution", f.adjustedForSv()[adjusted], "the dimension's label, in running text");
        assertEquals("department", f.adjustedForEn()[adjusted]);
        assertFalse(f.verdictSv()[adjusted].isEmpty());
        assertFalse(f.verdictEn()[adjusted].isEmpty());
        assertEquals("1973", f.periodLabel()[raw]);
        assertEquals(-1L, f.persons()[raw], "UINT64_MAX: persons are not counted");
        assertEquals(4526, f.participations()[raw]);
        assertEquals(f.count(), f.notKnown().persons().length);
      }
      JamstatException e = assertThrows(JamstatException.class, () -> a.gapReport(new GapOptions().adjustFor("nope")));
      assertEquals(Status.ERROR_INVALID_ARGUMENT, e.status());
      assertTrue(e.getMessage().contains("nope"), e.getMessage());
      e = assertThrows(JamstatException.class, () -> a.gapReport(new GapOptions().offeredOutcomes("nope")));
      assertTrue(e.getMessage().contains("no outcome is called 'nope'"), e.getMessage());
    }
  }

  @Test
  void targetGroupAndTwoPeriods() {
    try (Schema s = schema(); Aggregator now = new Aggregator(s); Aggregator before = new Aggregator(s);
         TargetGroup target = new TargetGroup(s)) {
      addUcb(now);
      addUcb(before);
      target.add(JamstatAbi.JAMSTAT_SEX_FEMALE, 10000).add(JamstatAbi.JAMSTAT_SEX_MALE, 12000);
      JamstatException e = assertThrows(JamstatException.class, () -> target.add(7, 10));
      assertTrue(e.getMessage().contains("sex"), e.getMessage());
      try (GapReport report = now.gapReport(new GapOptions().target(target).previous(before, "1973").currentPeriod("1974")
                                                .confidenceLevel(0.9).exactRule(ExactRule.NEVER))) {
        Findings f = report.findings();
        assertEquals(0.1, report.significanceLevel(), 1e-12);
        int rates = 0;
        int changes = 0;
        for (int i = 0; i < f.count(); ++i) {
          if (f.kind()[i] == JamstatAbi.JAMSTAT_FINDING_PARTICIPATION_RATE && f.period()[i] == JamstatAbi.JAMSTAT_PERIOD_CURRENT
              && f.groupingDimension()[i] == -1) {
            ++rates;
            // participants per member of the target group (persons not counted: participations)
            assertEquals(1835.0 / 10000, f.women().estimate()[i], 1e-12);
            assertEquals(2691.0 / 12000, f.men().estimate()[i], 1e-12);
          }
          if (f.period()[i] == JamstatAbi.JAMSTAT_PERIOD_CHANGE) {
            ++changes;
            if (f.effect()[i] != JamstatAbi.JAMSTAT_EFFECT_NONE && !Double.isNaN(f.difference()[i])) {
              assertEquals(0.0, f.difference()[i], 1e-12, "the same data in both periods: no change");
            }
          }
          if (f.kind()[i] == JamstatAbi.JAMSTAT_FINDING_OUTCOME && f.adjusted()[i] == 0 && f.period()[i] != JamstatAbi.JAMSTAT_PERIOD_CHANGE) {
            assertEquals(JamstatAbi.JAMSTAT_TEST_CHI_SQUARE, f.method()[i], "exact tests were turned off");
          }
        }
        assertTrue(rates >= 1);
        assertTrue(changes >= 1);
      }
    }
  }
}
