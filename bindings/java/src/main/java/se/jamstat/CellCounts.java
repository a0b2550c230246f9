package se.jamstat;

/** Counts of one cell (jamstat_cell_counts). */
public final class CellCounts {
  private final long participations;
  private final long persons;
  private final boolean hasPersons;
  private final long anonymousParticipants;

  CellCounts(long participations, long persons, boolean hasPersons, long anonymousParticipants) {
    this.participations = participations;
    this.persons = persons;
    this.hasPersons = hasPersons;
    this.anonymousParticipants = anonymousParticipants;
  }

  /** Records in the cell. */
  public long participations() {
    return participations;
  }

  /** Distinct persons; 0 when persons are not counted (see {@link #hasPersons()}). */
  public long persons() {
    return persons;
  }

  /** True when the aggregator counts persons. */
  public boolean hasPersons() {
    return hasPersons;
  }

  /** Anonymous participants (only in groupings with no dimension but sex). */
  public long anonymousParticipants() {
    return anonymousParticipants;
  }

  @Override
  public String toString() {
    return "CellCounts[participations=" + participations + (hasPersons ? ", persons=" + persons : "")
        + (anonymousParticipants != 0 ? ", anonymous=" + anonymousParticipants : "") + "]";
  }
}
