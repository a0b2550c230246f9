using System;
using System.Collections.Generic;
using System.Reflection;
using System.Text;
using Jamstat.Fixtures;

namespace Jamstat.Tests
{
    /// <summary>
    /// Personnummer.Parse / TryParse, the masked string form, Personnummer.Mask, and the canonical
    /// form as a person id. The values are those of tests/c_api/personnummer_test.c, whose check
    /// digits are Skatteverket's Luhn digits computed independently in Python 3 (see there):
    /// luhn('811218987') == 6, luhn('701063239') == 1, luhn('121212121') == 2, luhn('000229123') == 5,
    /// luhn('251231123') == 0.
    /// </summary>
    public static class PersonnummerTests
    {
        static readonly DateTime End2025 = new DateTime(2025, 12, 31);

        static Personnummer Parse(string text) { return Personnummer.Parse(text, End2025); }

        [Test]
        public static void AValidNumber()
        {
            var p = Parse("811218-9876");
            Assert.Equal("198112189876", p.Canonical, "canonical");
            Assert.SequenceEqual(Encoding.ASCII.GetBytes("198112189876"), p.CanonicalBytes, "canonical bytes");
            Assert.Equal(new DateTime(1981, 12, 18), p.BirthDate, "birth date");
            Assert.Equal(1, p.Sex, "second-to-last digit 7: odd, a man");
            Assert.Equal(44, p.Age, "age");
            Assert.Equal(false, p.IsSamordningsnummer, "samordningsnummer");
            Assert.Equal(End2025, p.ReferenceDate, "reference date");
            p.CanonicalBytes[0] = (byte)'X';  // a copy: the object stays as it was
            Assert.Equal("198112189876", p.Canonical, "unchanged");
            Assert.Equal(44, Personnummer.Parse("811218-9876", new DateTime(2025, 12, 18, 23, 59, 0)).Age, "the date part of a DateTime");
        }

        [Test]
        public static void EveryFormHasTheSameCanonicalForm()
        {
            var reference = Parse("811218-9876");
            foreach (var form in new[] { "198112189876", "19811218-9876", "8112189876", "  811218-9876 " })
            {
                var p = Parse(form);
                Assert.Equal("198112189876", p.Canonical, form);
                Assert.True(reference.Equals(p) && reference.Equals((object)p), "equal: " + form);
                Assert.Equal(reference.GetHashCode(), p.GetHashCode(), "hash: " + form);
            }
        }

        [Test]
        public static void AgeInCompletedYears()
        {
            Assert.Equal(43, Personnummer.Parse("811218-9876", new DateTime(2025, 12, 17)).Age, "the day before the birthday");
            Assert.Equal(44, Personnummer.Parse("811218-9876", new DateTime(2025, 12, 18)).Age, "on it");
            var p = Personnummer.Parse("000229-1235", new DateTime(2001, 2, 28));
            Assert.Equal(new DateTime(2000, 2, 29), p.BirthDate, "29 February");
            Assert.Equal(0, p.Age, "age on 28 February");
            Assert.Equal(1, p.Sex, "3: odd");
            Assert.Equal(1, Personnummer.Parse("000229-1235", new DateTime(2001, 3, 1)).Age, "a year older on 1 March");
        }

        [Test]
        public static void Samordningsnummer()
        {
            var p = Personnummer.Parse("701063-2391", new DateTime(2025, 6, 1));
            Assert.True(p.IsSamordningsnummer, "a samordningsnummer");
            Assert.Equal("197010632391", p.Canonical, "keeps its day + 60");
            Assert.Equal(new DateTime(1970, 10, 3), p.BirthDate, "the real birth date");
            Assert.Equal(1, p.Sex, "9: odd");
            Assert.Equal(54, p.Age, "age");
        }

        [Test]
        public static void PlusSignAndCentury()
        {
            var p = Parse("121212+1212");
            Assert.Equal(1912, p.BirthDate.Year, "'+': a hundred years earlier");
            Assert.Equal(113, p.Age, "age");
            Assert.Equal(1, p.Sex, "sex");
            p = Parse("121212-1212");
            Assert.Equal(2012, p.BirthDate.Year, "'-'");
            Assert.Equal(13, p.Age, "age");
            Assert.Equal(2025, Parse("251231-1230").BirthDate.Year, "the latest year not after the reference year");
            var e = Assert.Throws<InvalidPersonnummerException>(() => Personnummer.Parse("251231-1230", new DateTime(2025, 12, 30)), "born after");
            Assert.Equal(PersonnummerProblem.BornAfterReference, e.Problem, "problem");
        }

        [Test]
        public static void EveryProblemIsNamed()
        {
            var cases = new[]
            {
                new KeyValuePair<string, PersonnummerProblem>("811218-9875", PersonnummerProblem.CheckDigit),
                new KeyValuePair<string, PersonnummerProblem>("811218-98765", PersonnummerProblem.Format),
                new KeyValuePair<string, PersonnummerProblem>("81121-9876", PersonnummerProblem.Format),
                new KeyValuePair<string, PersonnummerProblem>("", PersonnummerProblem.Format),
                new KeyValuePair<string, PersonnummerProblem>("abcdef-ghij", PersonnummerProblem.Format),
                new KeyValuePair<string, PersonnummerProblem>("811318-9875", PersonnummerProblem.InvalidDate),
                new KeyValuePair<string, PersonnummerProblem>("20300101-1232", PersonnummerProblem.BornAfterReference),
                new KeyValuePair<string, PersonnummerProblem>("19811218+9876", PersonnummerProblem.PlusSignMismatch),
                new KeyValuePair<string, PersonnummerProblem>("811218-9876\0" + "1234", PersonnummerProblem.Format),  // the whole text
            };
            var names = new Dictionary<PersonnummerProblem, string>
            {
                { PersonnummerProblem.CheckDigit, "check_digit" }, { PersonnummerProblem.Format, "format" },
                { PersonnummerProblem.InvalidDate, "invalid_date" }, { PersonnummerProblem.BornAfterReference, "born_after_reference" },
                { PersonnummerProblem.PlusSignMismatch, "plus_sign_mismatch" },
            };
            foreach (var c in cases)
            {
                var e = Assert.Throws<InvalidPersonnummerException>(() => Parse(c.Key), c.Key);
                Assert.Equal(c.Value, e.Problem, c.Key);
                Assert.Equal(names[c.Value], e.ProblemName, "name of " + c.Key);
                Assert.True(e is FormatException, "a FormatException");
                Assert.Contains(Personnummer.ProblemMessage(c.Value), e.Message, "the library's phrase");
                Assert.True(Personnummer.ProblemMessage(c.Value).Length > 0, "a phrase");
                var digits = new StringBuilder();
                foreach (var ch in c.Key) if (char.IsDigit(ch)) digits.Append(ch);
                if (digits.Length >= 4)
                    Assert.True(e.Message.IndexOf(digits.ToString(), StringComparison.Ordinal) < 0 && e.Message.IndexOf(c.Key, StringComparison.Ordinal) < 0,
                                "no message contains the number: " + e.Message);
                Personnummer p;
                PersonnummerProblem problem;
                Assert.Equal(false, Personnummer.TryParse(c.Key, End2025, out p), "TryParse " + c.Key);
                Assert.True(p == null, "no result");
                Assert.Equal(false, Personnummer.TryParse(c.Key, End2025, out p, out problem), "TryParse with the problem");
                Assert.Equal(c.Value, problem, "the problem from TryParse");
            }
            Personnummer ok;
            PersonnummerProblem none;
            Assert.True(Personnummer.TryParse("811218-9876", End2025, out ok, out none), "a valid number");
            Assert.Equal(PersonnummerProblem.Valid, none, "valid");
            Assert.Equal("198112189876", ok.Canonical, "the result");
        }

        [Test]
        public static void ProblemNamesAndMessages()
        {
            Assert.Equal("check_digit", Personnummer.ProblemName(PersonnummerProblem.CheckDigit), "name");
            Assert.Equal("valid", Personnummer.ProblemName(PersonnummerProblem.Valid), "valid");
            Assert.Equal("unknown", Personnummer.ProblemName((PersonnummerProblem)99), "unknown");
            Assert.Equal("unknown", Personnummer.ProblemName((PersonnummerProblem)(-1)), "negative");
            Assert.Equal("", Personnummer.ProblemMessage(PersonnummerProblem.Valid), "no phrase for valid");
            Assert.Equal("", Personnummer.ProblemMessage((PersonnummerProblem)99), "no phrase for unknown");
            Assert.Equal("the check digit does not match", Personnummer.ProblemMessage(PersonnummerProblem.CheckDigit), "phrase");
        }

        [Test]
        public static void BadArgumentsAreTheLibrarysErrors()
        {
            var e = Assert.Throws<JamstatException>(() => Personnummer.Parse("811218-9876", new DateTime(1800, 1, 1)), "year 1800");
            Assert.Equal(Status.ErrorInvalidArgument, e.Status, "status");
            Assert.Contains("reference date", e.Message, "message");
            Personnummer p;
            Assert.Throws<JamstatException>(() => Personnummer.TryParse("811218-9876", new DateTime(1800, 1, 1), out p), "TryParse too");
            Assert.Throws<ArgumentNullException>(() => Personnummer.Parse(null, End2025), "null text");
            Assert.Throws<ArgumentNullException>(() => Personnummer.Mask(null), "null mask text");
        }

        [Test]
        public static void TheStringFormNeverShowsTheNumber()
        {
            var p = Parse("811218-9876");
            Assert.Equal("Personnummer(XXXXXXXX-XXXX)", p.ToString(), "ToString");
            foreach (var text in new[] { p.ToString(), "" + p, string.Format("{0}", p), string.Format("{0,30}", p), string.Join(",", new object[] { p }) })
                Assert.True(text.IndexOf("9876", StringComparison.Ordinal) < 0 && text.IndexOf("811218", StringComparison.Ordinal) < 0 &&
                            text.IndexOf("1981", StringComparison.Ordinal) < 0, "masked: " + text);
            Assert.True(!typeof(Personnummer).IsSerializable, "not serializable: it is the number");
        }

        [Test]
        public static void Masking()
        {
            const string text = "pnr 811218-9876, 198112189876 and 701063-2391; case 12345, 2025-12-31";
            const string want = "pnr XXXXXX-XXXX, XXXXXXXXXXXX and XXXXXX-XXXX; case 12345, 2025-12-31";
            Assert.Equal(want, Personnummer.Mask(text), "masked");
            Assert.Equal("", Personnummer.Mask(""), "empty");
            Assert.Equal("Män XXXXXX-XXXX å", Personnummer.Mask("Män 811218-9876 å"), "UTF-8 in and out");
        }

        [Test]
        public static void ABufferTooSmallIsRetried()
        {
            var b = new StringBuilder();
            for (int i = 0; i < 100; ++i) b.Append("pnr 811218-9876 nr ").Append(i).Append("; ");
            string text = b.ToString();
            // the first buffer's size is internal: set it by reflection to force the retry
            var field = typeof(Personnummer).GetField("MaskBuffer", BindingFlags.NonPublic | BindingFlags.Static);
            Assert.True(field != null, "Personnummer.MaskBuffer");
            Assert.True(text.Length > (int)field.GetValue(null), "longer than the first buffer");
            Assert.Equal(text.Replace("811218-9876", "XXXXXX-XXXX"), Personnummer.Mask(text), "retried at the size asked for");
            var saved = field.GetValue(null);
            try
            {
                field.SetValue(null, 1);
                Assert.Equal("pnr XXXXXX-XXXX", Personnummer.Mask("pnr 811218-9876"), "from one byte");
                field.SetValue(null, 0);
                Assert.Equal("x", Personnummer.Mask("x"), "from no buffer");
                Assert.Equal("", Personnummer.Mask(""), "empty from no buffer");
            }
            finally
            {
                field.SetValue(null, saved);
            }
        }

        [Test]
        public static void TwoFormsOfOneNumberAreOnePerson()
        {
            var a = Parse("811218-9876");
            var b = Parse("198112189876");
            using (var bld = new SchemaBuilder())
            using (var s = bld.Build())
            using (var agg = new Aggregator(s, Data.Persons()))
            {
                agg.Add(new[] { a.Sex }, null, null, a);              // the object itself
                agg.Add(new[] { b.Sex }, null, null, b.PersonId);     // or its person id
                using (var t = agg.Total())
                {
                    Assert.Equal(2UL, t.Counts(0).Participations, "participations");
                    Assert.Equal((ulong?)1, t.Counts(0).Persons, "two forms, one person");
                }
                var c = Parse("701063-2391");
                agg.Add(new[] { c.Sex }, null, null, PersonId.Of(c));
                using (var t = agg.Total())
                    Assert.Equal((ulong?)2, t.Counts(0).Persons, "another person");
            }
        }

        [Test]
        public static void AColumnOfPersonnummer()
        {
            var people = new[] { Parse("811218-9876"), Parse("198112189876"), Parse("19811218-9876"), Parse("701063-2391") };
            var sex = new byte[people.Length];
            var canonical = new string[people.Length];
            for (int i = 0; i < people.Length; ++i)
            {
                sex[i] = (byte)people[i].Sex;
                canonical[i] = people[i].Canonical;
            }
            using (var bld = new SchemaBuilder())
            using (var s = bld.Build())
            using (var a = new Aggregator(s, Data.Persons()))
            using (var b = new Aggregator(s, Data.Persons()))
            {
                a.AddArrays(sex, people);
                b.AddArrays(sex, canonical);
                using (var t = a.Total())
                {
                    Assert.Equal(4UL, t.Counts(0).Participations, "participations");
                    Assert.Equal((ulong?)2, t.Counts(0).Persons, "persons");
                }
                Assert.SequenceEqual(b.Serialize(), a.Serialize(), "the same as the canonical text, hashed as its ASCII bytes");
            }
        }
    }
}
