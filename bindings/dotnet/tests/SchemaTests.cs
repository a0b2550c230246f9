using System;
using System.Text;
using Jamstat.Fixtures;
using Jamstat.Interop;

namespace Jamstat.Tests
{
    public static class LibraryTests
    {
        [Test]
        public static void VersionsMatchTheGeneratedDeclarations()
        {
            Assert.Equal(Constants.JAMSTAT_ABI_VERSION, Library.AbiVersion, "ABI version");
            Assert.Equal(Constants.JAMSTAT_VERSION_STRING, Library.VersionString, "version string");
            Assert.Equal(Constants.JAMSTAT_VERSION_NUMBER, Library.VersionNumber, "version number");
            Assert.Equal("libjamstat.so." + Constants.JAMSTAT_ABI_VERSION, NativeMethods.Library, "library name");
        }

        [Test]
        public static void StatusAndReasonTexts()
        {
            Assert.Equal("JAMSTAT_ERROR_BAD_RECORD", Library.StatusName(Status.ErrorBadRecord), "status name");
            Assert.Equal("JAMSTAT_OK", Library.StatusName(Status.Ok), "status name");
            Assert.True(Library.StatusMessage(Status.ErrorOverflow).Length > 10, "a sentence for a status");
            Assert.Equal("code_unknown", Library.RejectionReasonName(RejectionReason.CodeUnknown), "reason name");
            Assert.Equal("Totalt", Library.TotalLabel(Language.Swedish), "total label sv");
            Assert.Equal("Total", Library.TotalLabel(Language.English), "total label en");
        }

        [Test]
        public static void GeneratedEnumsAndStructsAgreeWithTheAbiDescription()
        {
            // Spot checks against include/jamstat/jamstat.h (the generator covers the rest).
            Assert.Equal(13, (int)Status.ErrorOverflow, "JAMSTAT_ERROR_OVERFLOW");
            Assert.Equal(9, (int)ColumnType.I64, "JAMSTAT_COLUMN_I64");
            Assert.Equal(8, (int)RejectionReason.MeasureOutOfRange, "JAMSTAT_REJECTED_MEASURE_OUT_OF_RANGE");
            Assert.Equal(328, System.Runtime.InteropServices.Marshal.SizeOf(typeof(jamstat_batch_result)), "sizeof(jamstat_batch_result)");
            Assert.Equal(328u, jamstat_batch_result.Init().struct_size, "BATCH_RESULT_INIT.struct_size");
            Assert.Equal(-1L, jamstat_batch_result.Init().first_rejected_row, "BATCH_RESULT_INIT.first_rejected_row");
            Assert.Equal(24, System.Runtime.InteropServices.Marshal.SizeOf(typeof(jamstat_array)), "sizeof(jamstat_array)");
            Assert.Equal(0.95, jamstat_gap_options.Init().confidence_level, "GAP_OPTIONS_INIT.confidence_level");
            Assert.Equal(5218UL, jamstat_gap_options.Init().seed, "GAP_OPTIONS_INIT.seed");
        }
    }

    public static class SchemaTests
    {
        [Test]
        public static void DimensionsLevelsAndLabelsRoundTripAsUtf8()
        {
            using (var s = Data.Schema())
            {
                Assert.Equal(3, s.DimensionCount, "dimensions (sex included)");
                Assert.Equal("sex", s.DimensionName(0), "dimension 0");
                Assert.Equal("Kön", s.DimensionLabel(0, Language.Swedish), "sex label sv");
                Assert.Equal("intervention", s.DimensionName(1), "dimension 1");
                Assert.Equal("Insats", s.DimensionLabel(1, Language.Swedish), "dimension label sv");
                Assert.Equal("Intervention", s.DimensionLabel(1, Language.English), "dimension label en");
                Assert.Equal(2, s.DimensionIndex("region"), "index of region");
                Assert.Equal(3, s.LevelCount(1), "levels of intervention");
                var l = s.Level(1, 2);
                Assert.Equal(3, l.Code, "code");
                Assert.Equal("Förberedande utbildning", l.LabelSv, "label sv");
                Assert.Equal("Preparatory education", l.LabelEn, "label en");
                Assert.Equal(2, s.LevelIndex(2, 30), "level of code 30");
                var sexLevels = s.Levels(0);
                Assert.Equal(4, sexLevels.Length, "sex levels");
                Assert.Equal("Män", sexLevels[1].LabelSv, "sex level 1");
                Assert.Equal("Kvinnor", sexLevels[2].LabelSv, "sex level 2");
                Assert.Equal(1, s.OutcomeCount, "outcomes");
                Assert.Equal(1, s.NumericCount, "numerics");
                Assert.Equal(5, s.FieldCount, "fields");
                Assert.Equal("in_work", s.FieldName(3), "field 3");
                Assert.Equal("hours", s.FieldName(4), "field 4");
                Assert.Equal("person_id", s.FieldName(5), "field 5");
                var m = s.Measure(0);
                Assert.Equal("hours", m.Name, "measure name");
                Assert.Equal("h", m.Unit, "unit");
                Assert.Equal("Timmar", m.LabelSv, "measure label");
                Assert.Equal(MeasureKind.Floating, m.Kind, "kind");
                Assert.True(m.Lowest.HasValue && m.Lowest.Value == -1e140 && m.Highest.Value == 1e140, "the widest range, resolved");
            }
        }

        [Test]
        public static void FingerprintFollowsTheDefinition()
        {
            using (var a = Data.Schema())
            using (var b = Data.Schema())
            using (var builder = new SchemaBuilder())
            using (var c = builder.AddDimension("intervention", Data.InterventionCodes, new[] { "Coachning", "Praktik", "Forberedande utbildning" }).Build())
            {
                Assert.Equal(a.Fingerprint, b.Fingerprint, "same definition, same fingerprint");
                Assert.True(a.Fingerprint != c.Fingerprint, "another definition, another fingerprint");
            }
        }

        [Test]
        public static void DecimalMeasureWithRange()
        {
            using (var b = new SchemaBuilder())
            {
                b.AddMeasure(new MeasureDefinition("cost") { Unit = "SEK", LabelSv = "Kostnad", LabelEn = "Cost", Kind = MeasureKind.Decimal, Decimals = 2, OffGrid = OffGridPolicy.Round, Lowest = 0, Highest = 100000 });
                using (var s = b.Build())
                {
                    var m = s.Measure(0);
                    Assert.Equal(MeasureKind.Decimal, m.Kind, "kind");
                    Assert.Equal(2, m.Decimals, "decimals");
                    Assert.Equal(OffGridPolicy.Round, m.OffGrid, "off grid");
                    Assert.Equal(0.0, m.Lowest.Value, "lowest");
                    Assert.Equal(100000.0, m.Highest.Value, "highest");
                    Assert.Equal("Kostnad", m.LabelSv, "label");
                }
            }
        }

        [Test]
        public static void InvalidSchemasRaiseWithTheCMessage()
        {
            using (var b = new SchemaBuilder())
            {
                var e = Assert.Throws<JamstatException>(() => { b.AddDimension("Sex", new[] { 1 }, new[] { "x" }); b.Build(); }, "a dimension called Sex");
                Assert.Equal(Status.ErrorInvalidSchema, e.Status, "status");
                Assert.Equal("JAMSTAT_ERROR_INVALID_SCHEMA", e.StatusName, "status name");
                Assert.Contains("Sex", e.Message, "message names the dimension");
                Assert.True(e.Row == null && e.Field == null && e.Reason == null, "no record in a schema error");
            }
            using (var b = new SchemaBuilder())
            {
                b.AddOutcome("in_work");
                var e = Assert.Throws<JamstatException>(() => { b.AddOutcome("IN_WORK"); b.Build(); }, "names unique ignoring case");
                Assert.Contains("IN_WORK", e.Message, "message");
                e = Assert.Throws<JamstatException>(() => b.AddMeasure(new MeasureDefinition("x") { Kind = MeasureKind.Decimal, Decimals = 12 }), "12 decimals");
                Assert.Equal(Status.ErrorInvalidSchema, e.Status, "status");
            }
            using (var s = Data.Schema())
            {
                var e = Assert.Throws<JamstatException>(() => s.DimensionIndex("nope"), "unknown dimension");
                Assert.Equal(Status.ErrorInvalidArgument, e.Status, "status");
                Assert.Contains("nope", e.Message, "message");
                e = Assert.Throws<JamstatException>(() => s.LevelIndex(1, 99), "unknown code");
                Assert.Contains("99", e.Message, "message");
            }
        }

        [Test]
        public static void TextIsEncodedStrictly()
        {
            using (var b = new SchemaBuilder())
            {
                var e = Assert.Throws<ArgumentException>(() => b.AddOutcome("bad\uD800name"), "a lone surrogate");
                Assert.Contains("name", e.Message, "names the argument");
                Assert.Throws<ArgumentException>(() => b.AddOutcome("nul\0inside"), "a NUL character");
                Assert.Throws<ArgumentException>(() => b.AddDimension("d", new[] { 1, 2 }, new[] { "a" }), "fewer labels than codes");
                // Non-ASCII names are stored as UTF-8 whatever the platform encoding (the test runs under LANG=C).
                b.AddDimension("län", new[] { 1 }, new[] { "Jämtland" }, new[] { "Jämtland" });
                using (var s = b.Build())
                {
                    Assert.Equal(1, s.DimensionIndex("län"), "found by its UTF-8 name");
                    Assert.Equal("Jämtland", s.Level(1, 0).LabelSv, "label round trip");
                    using (var a = new Aggregator(s))
                    {
                        var state = a.Serialize();
                        Assert.True(IndexOf(state, Encoding.UTF8.GetBytes("Jämtland")) >= 0, "the state holds the UTF-8 bytes of Jämtland");
                        Assert.True(IndexOf(state, new byte[] { (byte)'J', (byte)'?', (byte)'m' }) < 0, "no '?' in place of ä");
                    }
                }
            }
        }

        internal static int IndexOf(byte[] haystack, byte[] needle)
        {
            for (int i = 0; i + needle.Length <= haystack.Length; ++i)
            {
                int j = 0;
                while (j < needle.Length && haystack[i + j] == needle[j]) ++j;
                if (j == needle.Length) return i;
            }
            return -1;
        }

        [Test]
        public static void DisposedHandlesAreRefused()
        {
            var s = Data.Schema();
            s.Dispose();
            s.Dispose();  // twice is fine
            Assert.Throws<ObjectDisposedException>(() => { var n = s.DimensionCount; }, "a disposed schema");
            var b = new SchemaBuilder();
            b.Dispose();
            Assert.Throws<ObjectDisposedException>(() => b.AddOutcome("x"), "a disposed builder");
        }
    }
}
