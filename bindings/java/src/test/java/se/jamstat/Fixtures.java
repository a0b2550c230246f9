package se.jamstat;

import java.util.Random;

/** Shared test data: a small participation schema and seeded random records. */
final class Fixtures {
  private Fixtures() {}

  static final byte[] KEY = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
  static final int[] INTERVENTION_CODES = {1, 2, 3};
  static final String[] INTERVENTION_SV = {"Coachning", "Praktik", "Förberedande utbildning"};
  static final String[] INTERVENTION_EN = {"Coaching", "Placement", "Preparatory education"};

  /** sex, intervention (codes 1..3), age_band (codes 10, 20); outcome in_work; hours decimal(2) 0..10000; cost floating. */
  static Schema schema() {
    return Schema.builder()
        .dimension("intervention", "Insats", "Intervention", INTERVENTION_CODES, INTERVENTION_SV, INTERVENTION_EN)
        .dimension("age_band", new int[] {10, 20}, new String[] {"16–29 år", "30–64 år"}, new String[] {"16–29 years", "30–64 years"})
        .outcome("in_work", "I arbete", "In work")
        .measure(MeasureDefinition.decimal("hours", 2).unit("h").labels("Timmar", "Hours").range(0, 10000))
        .measure(MeasureDefinition.floating("cost").unit("SEK").labels("Kostnad", "Cost"))
        .build();
  }

  /** Seeded records of the schema above, column-wise. */
  static final class Records {
    final int n;
    final byte[] sex;
    final byte[] intervention;
    final byte[] age;
    final byte[] inWork;
    final double[] hours;
    final long[] hoursCents;
    final double[] cost;
    final int[] person;

    Records(int n, long seed) {
      this.n = n;
      Random r = new Random(seed);
      sex = new byte[n];
      intervention = new byte[n];
      age = new byte[n];
      inWork = new byte[n];
      hours = new double[n];
      hoursCents = new long[n];
      cost = new double[n];
      person = new int[n];
      int[] sexes = {1, 2, 2, 1, 2, 0, 9};
      for (int i = 0; i < n; ++i) {
        sex[i] = (byte) sexes[r.nextInt(sexes.length)];
        intervention[i] = (byte) (1 + r.nextInt(3));
        age[i] = (byte) (r.nextBoolean() ? 10 : 20);
        inWork[i] = (byte) (r.nextInt(100) < 40 + 10 * sex[i] % 3 ? 1 : 0);
        hoursCents[i] = r.nextInt(400_000);
        hours[i] = hoursCents[i] / 100.0;
        cost[i] = Math.round(r.nextDouble() * 1e6) / 8.0;
        person[i] = r.nextInt(Math.max(1, n * 2 / 3));
      }
    }

    int[] codes(int i) {
      return new int[] {sex[i], intervention[i], age[i]};
    }
  }
}
