package se.jamstat;

/**
 * Statistics of one numeric measure in one cell (jamstat_numeric_stats). Decimal measures: each
 * value is the exact statistic rounded once to the nearest double.
 */
public final class NumericStats {
  private final long count;
  private final double sum;
  private final double mean;
  private final double variance;
  private final double sd;
  private final double min;
  private final double max;
  private final MeasureKind kind;
  private final int decimals;
  private final double secondMax;

  NumericStats(long count, double sum, double mean, double variance, double sd, double min, double max, MeasureKind kind,
               int decimals, double secondMax) {
    this.count = count;
    this.sum = sum;
    this.mean = mean;
    this.variance = variance;
    this.sd = sd;
    this.min = min;
    this.max = max;
    this.kind = kind;
    this.decimals = decimals;
    this.secondMax = secondMax;
  }

  /** Values counted. */
  public long count() {
    return count;
  }

  public double sum() {
    return sum;
  }

  /** NaN when count is 0. */
  public double mean() {
    return mean;
  }

  /** Sample variance (n - 1); NaN when count < 2. */
  public double variance() {
    return variance;
  }

  /** Sample standard deviation; NaN when count < 2. */
  public double sd() {
    return sd;
  }

  /** NaN when count is 0. */
  public double min() {
    return min;
  }

  /** NaN when count is 0. */
  public double max() {
    return max;
  }

  public MeasureKind kind() {
    return kind;
  }

  /** Decimal measures: the grid's decimals. */
  public int decimals() {
    return decimals;
  }

  /** Second largest value (with repeats); NaN when count < 2. */
  public double secondMax() {
    return secondMax;
  }

  @Override
  public String toString() {
    return "NumericStats[count=" + count + ", sum=" + sum + ", mean=" + mean + ", sd=" + sd + ", min=" + min + ", max=" + max + "]";
  }
}
