package se.jamstat;

/**
 * A roll-up table column-wise (jamstat_table_columns), copied into Java arrays: every array has
 * one value per cell; level arrays are indexed [k][cell] by grouped dimension in the table's
 * order, successes [outcome][cell], measures [measure].
 */
public final class TableColumns {
  private final int[] dimensions;
  private final int[][] levelIndices;
  private final int[][] levelCodes;
  private final String[][] labelsSv;
  private final String[][] labelsEn;
  private final long[] participations;
  private final long[] persons;
  private final long[] anonymousParticipants;
  private final long[][] successes;
  private final MeasureColumns[] measures;

  TableColumns(int[] dimensions, int[][] levelIndices, int[][] levelCodes, String[][] labelsSv, String[][] labelsEn,
               long[] participations, long[] persons, long[] anonymousParticipants, long[][] successes, MeasureColumns[] measures) {
    this.dimensions = dimensions;
    this.levelIndices = levelIndices;
    this.levelCodes = levelCodes;
    this.labelsSv = labelsSv;
    this.labelsEn = labelsEn;
    this.participations = participations;
    this.persons = persons;
    this.anonymousParticipants = anonymousParticipants;
    this.successes = successes;
    this.measures = measures;
  }

  /** Number of cells (rows). */
  public int cellCount() {
    return participations.length;
  }

  /** Schema index of each grouped dimension, in the table's order. */
  public int[] dimensions() {
    return dimensions.clone();
  }

  /** Level indices of grouped dimension k, one per cell. */
  public int[] levelIndices(int k) {
    return levelIndices[k];
  }

  /** Level codes of grouped dimension k, one per cell. */
  public int[] levelCodes(int k) {
    return levelCodes[k];
  }

  /** Level labels of grouped dimension k in a language, one per cell. */
  public String[] labels(int k, Language language) {
    return language == Language.ENGLISH ? labelsEn[k] : labelsSv[k];
  }

  /** Participations (records) per cell. */
  public long[] participations() {
    return participations;
  }

  /** Distinct persons per cell, or null when persons are not counted. */
  public long[] persons() {
    return persons;
  }

  /** Anonymous participants per cell, or null unless the table groups by at most sex. */
  public long[] anonymousParticipants() {
    return anonymousParticipants;
  }

  /** Number of outcomes. */
  public int outcomeCount() {
    return successes.length;
  }

  /** Successes of outcome `outcome` per cell. */
  public long[] successes(int outcome) {
    return successes[outcome];
  }

  /** Number of numeric measures. */
  public int measureCount() {
    return measures.length;
  }

  /** Statistics of numeric measure `measure` per cell (count, sum, mean, variance, sd, min, max, second max). */
  public MeasureColumns measure(int measure) {
    return measures[measure];
  }
}
