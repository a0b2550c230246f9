package se.jamstat;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;
import se.jamstat.abi.JamstatAbi;
import se.jamstat.abi.NativeLoader;

/** Loading, versions, and the generated enums against the library's own names. */
class LibraryTest {
  @Test
  void loadsTheLibraryOfTheDeclarations() {
    assertEquals(JamstatAbi.JAMSTAT_ABI_VERSION, Jamstat.abiVersion());
    assertEquals(JamstatAbi.JAMSTAT_VERSION_STRING, Jamstat.version(), "the build tree's library and header agree");
    assertEquals(JamstatAbi.JAMSTAT_VERSION_NUMBER, Jamstat.versionNumber());
    assertEquals(Jamstat.bindingVersion(), JamstatAbi.JAMSTAT_VERSION_STRING);
    assertNotNull(NativeLoader.libraryFile());
    assertTrue(NativeLoader.libraryFile().getName().startsWith("libjamstat"), NativeLoader.libraryFile().toString());
  }

  @Test
  void generatedStatusesAreTheLibrarysStatuses() {
    assertEquals(14, Status.values().length);
    for (Status s : Status.values()) {
      assertEquals(s.cName(), Jamstat.statusName(s.code()), "status " + s);
      assertFalse(Jamstat.statusMessage(s.code()).isEmpty(), "a sentence for " + s);
    }
    assertEquals(0, Status.OK.code());
    assertEquals(5, Status.ERROR_BAD_RECORD.code());
    assertEquals(13, Status.ERROR_OVERFLOW.code());
    assertEquals("JAMSTAT_UNKNOWN_STATUS", Jamstat.statusName(99));
    assertNull(Status.fromCode(99));
    assertSame(Status.ERROR_WRONG_HANDLE, Status.fromCode(3));
  }

  @Test
  void generatedRejectionReasonsAreTheLibrarysReasons() {
    assertEquals("sex_missing", Jamstat.rejectionReasonName(RejectionReason.SEX_MISSING));
    assertEquals("code_unknown", Jamstat.rejectionReasonName(RejectionReason.CODE_UNKNOWN));
    for (RejectionReason r : RejectionReason.values()) {
      String name = Jamstat.rejectionReasonName(r);
      assertEquals(r.name().toLowerCase(java.util.Locale.ROOT), name, "reason " + r);
    }
    assertEquals("", Jamstat.rejectionReasonName(1000));
  }

  @Test
  void otherGeneratedEnumsAndConstants() {
    assertEquals(1, ColumnType.U8.code());
    assertEquals(9, ColumnType.I64.code());
    assertEquals(8, ColumnType.BYTES.code());
    assertEquals(0, Language.SWEDISH.code());
    assertEquals(1, BadRecordPolicy.TALLY.code());
    assertEquals(2, PersonIdKind.BYTES.code());
    assertEquals(2, JamstatAbi.JAMSTAT_SEX_FEMALE);
    assertEquals(1, JamstatAbi.JAMSTAT_SEX_MALE);
    assertEquals(-1, JamstatAbi.JAMSTAT_MISSING_CODE);
  }

  @Test
  void totalLabels() {
    assertEquals("Totalt", Jamstat.totalLabel(Language.SWEDISH));
    assertEquals("Total", Jamstat.totalLabel(Language.ENGLISH));
  }
}
