package se.jamstat;

/** A cell's level of one grouped dimension: level index, code, and labels. */
public final class Level {
  private final int index;
  private final int code;
  private final String labelSv;
  private final String labelEn;

  Level(int index, int code, String labelSv, String labelEn) {
    this.index = index;
    this.code = code;
    this.labelSv = labelSv;
    this.labelEn = labelEn;
  }

  /** The level index in its dimension. */
  public int index() {
    return index;
  }

  /** The level's code (for sex, ISO/IEC 5218). */
  public int code() {
    return code;
  }

  /** The label in a language. */
  public String label(Language language) {
    return language == Language.ENGLISH ? labelEn : labelSv;
  }

  /** The Swedish label ("Kvinnor"). */
  public String labelSv() {
    return labelSv;
  }

  /** The English label ("Women"). */
  public String labelEn() {
    return labelEn;
  }

  @Override
  public String toString() {
    return labelSv + " (" + code + ")";
  }
}
