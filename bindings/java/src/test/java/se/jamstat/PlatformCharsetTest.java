package se.jamstat;

import static org.junit.jupiter.api.Assertions.*;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Text under a platform charset that is not UTF-8. ctest runs this class with LANG=C and
 * -Dfile.encoding=ANSI_X3.4-1968 (java.PlatformCharsetTest_LANG_C), where JNA's default string
 * encoding is US-ASCII and would store "Män" as "M?n"; the binding must not.
 */
@EnabledIfSystemProperty(named = "se.jamstat.test.asciiPlatform", matches = "true")
class PlatformCharsetTest {
  @Test
  void thePlatformCharsetIsReallyAscii() {
    assertEquals("US-ASCII", Charset.defaultCharset().name(), "the test runs where the hazard exists");
    // What JNA would do with a String by default here: "Män" becomes "M?n".
    assertNotEquals("UTF-8", Native.getDefaultStringEncoding());
    try (Memory m = new Memory(16)) {
      m.setString(0, "Män");
      assertArrayEquals(new byte[] {'M', '?', 'n'}, m.getByteArray(0, 3));
    }
  }

  @Test
  void namesAndLabelsRoundTripAsUtf8() {
    try (Schema s = Schema.builder()
             .dimension("födelseregion", "Födelseregion", "Region of birth", new int[] {0, 1},
                        new String[] {"Sverige", "Utanför Europa – övriga"}, new String[] {"Sweden", "Outside Europe – other"})
             .outcome("i_arbete_eller_studier", "I arbete eller studier", "In work or studies")
             .measure(MeasureDefinition.decimal("timmar", 2).unit("h").labels("Timmar (Σ)", "Hours"))
             .build();
         Aggregator a = new Aggregator(s, AggregatorOptions.defaults().countPersons(Fixtures.KEY))) {
      assertEquals("födelseregion", s.dimensionName(1));
      assertEquals(1, s.dimensionIndex("födelseregion"));
      assertEquals("Födelseregion", s.dimensionLabel(1, Language.SWEDISH));
      assertEquals("Utanför Europa – övriga", s.levelLabel(1, 1, Language.SWEDISH));
      assertEquals("Män", s.levelLabel(0, 1, Language.SWEDISH));
      assertEquals("Timmar (Σ)", s.measure(0).labelSv());
      a.add(new int[] {1, 1}, new int[] {1}, new double[] {2}, "Åsa Öberg");
      a.add(new int[] {1, 1}, new int[] {0}, new double[] {2}, "Åsa Öberg".getBytes(StandardCharsets.UTF_8));
      a.add(new int[] {1, 1}, new int[] {0}, new double[] {2}, "Asa Oberg");
      try (Table t = a.rollup("födelseregion")) {
        TableColumns c = t.export(true);
        assertEquals("Män", c.labels(0, Language.SWEDISH)[0]);
        assertEquals("Utanför Europa – övriga", c.labels(1, Language.SWEDISH)[0]);
        assertEquals(2, c.persons()[0], "'Åsa Öberg' as text and as UTF-8 bytes is one person; the ASCII spelling another");
      }
      JamstatException e = assertThrows(JamstatException.class, () -> s.dimensionIndex("Åldersgrupp"));
      assertTrue(e.getMessage().contains("'Åldersgrupp'"), "messages decode as UTF-8: " + e.getMessage());
    }
    assertEquals("Totalt", Jamstat.totalLabel(Language.SWEDISH));
  }
}
