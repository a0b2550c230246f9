using System;
using System.Runtime.CompilerServices;
using System.Text;
using Jamstat.Interop;

namespace Jamstat
{
    /// <summary>Why a text is not a valid personnummer or samordningsnummer (JAMSTAT_PERSONNUMMER_*).</summary>
    public enum PersonnummerProblem
    {
        /// <summary>A valid number.</summary>
        Valid = Constants.JAMSTAT_PERSONNUMMER_VALID,
        /// <summary>Not 10 or 12 digits with an optional '-' or '+' before the last four.</summary>
        Format = Constants.JAMSTAT_PERSONNUMMER_FORMAT,
        /// <summary>No such date (the day less 60 for a samordningsnummer).</summary>
        InvalidDate = Constants.JAMSTAT_PERSONNUMMER_INVALID_DATE,
        /// <summary>The Luhn check digit does not match.</summary>
        CheckDigit = Constants.JAMSTAT_PERSONNUMMER_CHECK_DIGIT,
        /// <summary>The birth date is after the reference date.</summary>
        BornAfterReference = Constants.JAMSTAT_PERSONNUMMER_BORN_AFTER_REFERENCE,
        /// <summary>A 12-digit number with '+' for someone under 100 at the reference date.</summary>
        PlusSignMismatch = Constants.JAMSTAT_PERSONNUMMER_PLUS_SIGN_MISMATCH,
    }

    /// <summary>
    /// The text given to <see cref="Personnummer.Parse"/> is not a valid personnummer or
    /// samordningsnummer. The message is the library's phrase; neither it nor anything else here
    /// contains the number.
    /// </summary>
    public sealed class InvalidPersonnummerException : FormatException
    {
        /// <summary>Why the text is not a valid number.</summary>
        public PersonnummerProblem Problem { get; private set; }
        /// <summary>The library's stable name of the problem, e.g. "check_digit".</summary>
        public string ProblemName { get; private set; }

        internal InvalidPersonnummerException(PersonnummerProblem problem)
            : base("jamstat: not a valid personnummer: " + Describe(problem))
        {
            Problem = problem;
            ProblemName = Personnummer.ProblemName(problem);
        }

        static string Describe(PersonnummerProblem problem)
        {
            string message = Personnummer.ProblemMessage(problem);
            return (message.Length == 0 ? "problem " + (int)problem : message) + " [" + Personnummer.ProblemName(problem) + "]";
        }
    }

    /// <summary>
    /// A valid personnummer (personal identity number) or samordningsnummer (coordination
    /// number), parsed as <c>jamstat aggregate</c> parses its personnummer column
    /// (jamstat_personnummer_parse): YYMMDD-NNNC, YYMMDD+NNNC, YYMMDDNNNC, YYYYMMDD-NNNC,
    /// YYYYMMDDNNNC (YYYYMMDD+NNNC at 100 or older), surrounding spaces ignored; the Luhn check
    /// digit; 60 added to the day for a samordningsnummer.
    /// <para>The idiom is .NET's: <see cref="Parse"/> returns a valid number or throws
    /// <see cref="InvalidPersonnummerException"/> (a FormatException) naming the problem;
    /// <see cref="TryParse(string, DateTime, out Personnummer)"/> returns false instead (an
    /// overload also gives the problem). A reference date the library does not take (before year
    /// 1900) is a <see cref="JamstatException"/> (InvalidArgument) from both.</para>
    /// <para>The reference date (its date part) is required: the century of a 10-digit form and
    /// the age come from it, so a statistic about a period passes that period's date.</para>
    /// <para><see cref="ToString"/> never shows the number ("Personnummer(XXXXXXXX-XXXX)"). The
    /// number itself is <see cref="Canonical"/> / <see cref="CanonicalBytes"/>, the person id the
    /// CSV ingest hashes: add <see cref="PersonId"/> (or pass the object where a PersonId is taken,
    /// and an array of them as a person id Column) so that one person is one person whichever form
    /// a system wrote. Immutable; equal when the canonical forms are.</para>
    /// </summary>
    public sealed class Personnummer : IEquatable<Personnummer>
    {
        /// <summary>Bytes of the first buffer <see cref="Mask"/> tries; a longer result is retried at the size the library asks for.</summary>
        internal static int MaskBuffer = 256;

        readonly string canonical;

        Personnummer(string canonical, DateTime birthDate, int sex, int age, bool samordningsnummer, DateTime referenceDate)
        {
            this.canonical = canonical;
            BirthDate = birthDate;
            Sex = sex;
            Age = age;
            IsSamordningsnummer = samordningsnummer;
            ReferenceDate = referenceDate;
        }

        /// <summary>YYYYMMDDNNNC, 12 digits (a samordningsnummer keeps its day + 60). The number itself: never log or store it.</summary>
        public string Canonical { get { return canonical; } }
        /// <summary>The canonical 12 digits as ASCII bytes (a new array): the person id the CSV ingest hashes.</summary>
        public byte[] CanonicalBytes { get { return Encoding.ASCII.GetBytes(canonical); } }
        /// <summary>The person id to add for this person: its canonical 12 digits.</summary>
        public PersonId PersonId { get { return PersonId.Of(CanonicalBytes); } }
        /// <summary>The real birth date (the day less 60 for a samordningsnummer).</summary>
        public DateTime BirthDate { get; private set; }
        /// <summary>Legal sex, ISO/IEC 5218: 1 (man, odd second-to-last digit) or 2 (woman, even).</summary>
        public int Sex { get; private set; }
        /// <summary>Completed years at the reference date.</summary>
        public int Age { get; private set; }
        /// <summary>True for a samordningsnummer (day + 60).</summary>
        public bool IsSamordningsnummer { get; private set; }
        /// <summary>The reference date it was parsed at (date part).</summary>
        public DateTime ReferenceDate { get; private set; }

        /// <summary>Parses <paramref name="text"/> at <paramref name="referenceDate"/>'s date; throws
        /// <see cref="InvalidPersonnummerException"/> when it is not a valid number.</summary>
        public static Personnummer Parse(string text, DateTime referenceDate)
        {
            Personnummer p;
            PersonnummerProblem problem;
            if (!TryParse(text, referenceDate, out p, out problem)) throw new InvalidPersonnummerException(problem);
            return p;
        }

        /// <summary>As <see cref="Parse"/>, false (and null) for a text that is not a valid number.</summary>
        public static bool TryParse(string text, DateTime referenceDate, out Personnummer result)
        {
            PersonnummerProblem problem;
            return TryParse(text, referenceDate, out result, out problem);
        }

        /// <summary>As <see cref="Parse"/>, false (and null) for a text that is not a valid number, with the reason.</summary>
        public static bool TryParse(string text, DateTime referenceDate, out Personnummer result, out PersonnummerProblem problem)
        {
            if (text == null) throw new ArgumentNullException("text");
            Library.EnsureLoaded();
            result = ParseLoaded(Utf8.EncodeBytes(text, "text"), referenceDate.Date, out problem);
            return result != null;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]  // compiled after EnsureLoaded (see LoadedLibrary)
        static unsafe Personnummer ParseLoaded(byte[] utf8, DateTime day, out PersonnummerProblem problem)
        {
            var p = jamstat_personnummer.Init();
            try
            {
                fixed (byte* t = utf8)
                    Check.Ok(NativeMethods.jamstat_personnummer_parse(utf8.Length == 0 ? null : t, new UIntPtr((uint)utf8.Length),
                                                                     day.Year, day.Month, day.Day, &p));
                problem = (PersonnummerProblem)p.problem;
                if (p.problem != Constants.JAMSTAT_PERSONNUMMER_VALID) return null;
                return new Personnummer(Encoding.ASCII.GetString(p.canonical, 12), new DateTime(p.birth_year, p.birth_month, p.birth_day),
                                        p.sex, p.age, p.samordningsnummer != 0, day);
            }
            finally
            {
                for (int i = 0; i < 16; ++i) p.canonical[i] = 0;  // the number is personal data: not left about
                Array.Clear(utf8, 0, utf8.Length);
            }
        }

        /// <summary>
        /// <paramref name="text"/> with every run shaped like a personnummer or samordningsnummer
        /// (valid check digit or not) masked as X, for the caller's own log lines:
        /// "pnr 811218-9876" becomes "pnr XXXXXX-XXXX".
        /// </summary>
        public static string Mask(string text)
        {
            if (text == null) throw new ArgumentNullException("text");
            Library.EnsureLoaded();
            return MaskLoaded(Utf8.EncodeBytes(text, "text"));
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        static unsafe string MaskLoaded(byte[] utf8)
        {
            long capacity = Math.Max(0, MaskBuffer);
            while (true)
            {
                var buffer = new byte[Math.Max(1, capacity)];
                UIntPtr needed = UIntPtr.Zero;
                Status status;
                fixed (byte* t = utf8)
                fixed (byte* b = buffer)
                    status = NativeMethods.jamstat_mask_personnummer(utf8.Length == 0 ? null : t, new UIntPtr((uint)utf8.Length),
                                                                    capacity == 0 ? null : b, new UIntPtr((ulong)capacity), &needed);
                long n = (long)(ulong)needed;
                if (status == Status.ErrorBufferTooSmall && n > capacity)
                {
                    capacity = n;  // asked for more: once again at that size
                    continue;
                }
                Check.Ok(status);
                return Encoding.UTF8.GetString(buffer, 0, (int)(n - 1));
            }
        }

        /// <summary>The library's stable name of a problem ("check_digit"; "valid"; "unknown" for values it does not know).</summary>
        public static string ProblemName(PersonnummerProblem problem)
        {
            Library.EnsureLoaded();
            return ProblemNameLoaded((int)problem);
        }

        /// <summary>The library's English phrase for a problem ("" for Valid and values it does not know).</summary>
        public static string ProblemMessage(PersonnummerProblem problem)
        {
            Library.EnsureLoaded();
            return ProblemMessageLoaded((int)problem);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        static unsafe string ProblemNameLoaded(int problem) { return Utf8.Decode(NativeMethods.jamstat_personnummer_problem_name(problem)); }

        [MethodImpl(MethodImplOptions.NoInlining)]
        static unsafe string ProblemMessageLoaded(int problem) { return Utf8.Decode(NativeMethods.jamstat_personnummer_problem_message(problem)); }

        /// <summary>True when both are the same number (the same canonical form).</summary>
        public bool Equals(Personnummer other) { return other != null && other.canonical == canonical; }

        /// <summary>True when <paramref name="other"/> is the same number.</summary>
        public override bool Equals(object other) { return Equals(other as Personnummer); }

        /// <summary>A hash of the canonical form.</summary>
        public override int GetHashCode() { return StringComparer.Ordinal.GetHashCode(canonical); }

        /// <summary>Always "Personnummer(XXXXXXXX-XXXX)": never the number.</summary>
        public override string ToString() { return "Personnummer(XXXXXXXX-XXXX)"; }
    }
}
