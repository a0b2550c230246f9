package se.jamstat;

import java.util.Objects;

/**
 * A numeric measure's definition (jamstat_measure_definition): a floating measure, or a decimal
 * one whose values lie on a grid of 10^-decimals and are summed exactly; an optional valid range.
 * Immutable: each {@code with} method returns a changed copy.
 *
 * <pre>{@code
 * MeasureDefinition.decimal("hours", 2).unit("h").labels("Timmar", "Hours").range(0, 99999.99)
 * }</pre>
 */
public final class MeasureDefinition {
  private final String name;
  private final String unit;
  private final String labelSv;
  private final String labelEn;
  private final MeasureKind kind;
  private final int decimals;
  private final OffGrid offGrid;
  private final boolean hasRange;
  private final double lowest;
  private final double highest;

  private MeasureDefinition(String name, String unit, String labelSv, String labelEn, MeasureKind kind, int decimals,
                            OffGrid offGrid, boolean hasRange, double lowest, double highest) {
    this.name = Objects.requireNonNull(name, "name");
    this.unit = Objects.requireNonNull(unit, "unit");
    this.labelSv = Objects.requireNonNull(labelSv, "labelSv");
    this.labelEn = Objects.requireNonNull(labelEn, "labelEn");
    this.kind = Objects.requireNonNull(kind, "kind");
    this.decimals = decimals;
    this.offGrid = Objects.requireNonNull(offGrid, "offGrid");
    this.hasRange = hasRange;
    this.lowest = lowest;
    this.highest = highest;
  }

  /** A floating measure with the widest range (|x| <= 1e140). */
  public static MeasureDefinition floating(String name) {
    return new MeasureDefinition(name, "", "", "", MeasureKind.FLOATING, 0, OffGrid.REJECT, false, 0, 0);
  }

  /** A decimal measure with resolution 10^-decimals (0..9), off-grid values rejected. */
  public static MeasureDefinition decimal(String name, int decimals) {
    return new MeasureDefinition(name, "", "", "", MeasureKind.DECIMAL, decimals, OffGrid.REJECT, false, 0, 0);
  }

  static MeasureDefinition of(String name, String unit, String labelSv, String labelEn, MeasureKind kind, int decimals,
                              OffGrid offGrid, boolean hasRange, double lowest, double highest) {
    return new MeasureDefinition(name, unit, labelSv, labelEn, kind, decimals, offGrid, hasRange, lowest, highest);
  }

  /** With a unit, free text such as "h" or "SEK". */
  public MeasureDefinition unit(String unit) {
    return new MeasureDefinition(name, unit, labelSv, labelEn, kind, decimals, offGrid, hasRange, lowest, highest);
  }

  /** With Swedish and English labels. */
  public MeasureDefinition labels(String labelSv, String labelEn) {
    return new MeasureDefinition(name, unit, labelSv, labelEn, kind, decimals, offGrid, hasRange, lowest, highest);
  }

  /** With a valid range [lowest, highest] (on the grid for a decimal measure). */
  public MeasureDefinition range(double lowest, double highest) {
    return new MeasureDefinition(name, unit, labelSv, labelEn, kind, decimals, offGrid, true, lowest, highest);
  }

  /** With a policy for values off a decimal measure's grid. */
  public MeasureDefinition offGrid(OffGrid offGrid) {
    return new MeasureDefinition(name, unit, labelSv, labelEn, kind, decimals, offGrid, hasRange, lowest, highest);
  }

  public String name() {
    return name;
  }

  public String unit() {
    return unit;
  }

  public String labelSv() {
    return labelSv;
  }

  public String labelEn() {
    return labelEn;
  }

  /** The label in a language ("" when none was given). */
  public String label(Language language) {
    return language == Language.ENGLISH ? labelEn : labelSv;
  }

  public MeasureKind kind() {
    return kind;
  }

  /** Decimal measures: resolution 10^-decimals. */
  public int decimals() {
    return decimals;
  }

  public OffGrid offGrid() {
    return offGrid;
  }

  /** False: the kind's widest range; true: [lowest, highest]. A schema's measures read back always have one. */
  public boolean hasRange() {
    return hasRange;
  }

  public double lowest() {
    return lowest;
  }

  public double highest() {
    return highest;
  }

  @Override
  public String toString() {
    return name + " (" + kind + (kind == MeasureKind.DECIMAL ? ", " + decimals + " decimals" : "")
        + (hasRange ? ", " + lowest + ".." + highest : "") + (unit.isEmpty() ? "" : ", " + unit) + ")";
  }
}
