using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Jamstat.Interop;

namespace Jamstat
{
    /// <summary>ISO/IEC 5218 sex codes: the built-in dimension 0 of every schema.</summary>
    public static class Sex
    {
        /// <summary>0: not known (Okänt).</summary>
        public const int NotKnown = Constants.JAMSTAT_SEX_NOT_KNOWN;
        /// <summary>1: male (Män).</summary>
        public const int Male = Constants.JAMSTAT_SEX_MALE;
        /// <summary>2: female (Kvinnor).</summary>
        public const int Female = Constants.JAMSTAT_SEX_FEMALE;
        /// <summary>9: not applicable (Ej tillämpligt).</summary>
        public const int NotApplicable = Constants.JAMSTAT_SEX_NOT_APPLICABLE;
    }

    /// <summary>Codes with a special meaning in record and column input.</summary>
    public static class Codes
    {
        /// <summary>-1: the value is missing (a bad record under the schema's rules).</summary>
        public const int Missing = Constants.JAMSTAT_MISSING_CODE;
    }

    /// <summary>Kinds of numeric measure (docs/engine.md, "Numeric measures").</summary>
    public enum MeasureKind
    {
        /// <summary>Any finite value in range; a documented error bound for every input order.</summary>
        Floating = Constants.JAMSTAT_MEASURE_FLOATING,
        /// <summary>Values on a grid of 10^-decimals: exact integer sums, byte-identical states.</summary>
        Decimal = Constants.JAMSTAT_MEASURE_DECIMAL,
    }

    /// <summary>What happens to a decimal measure's value off its grid.</summary>
    public enum OffGridPolicy
    {
        /// <summary>Bad input (RejectionReason.MeasureOffResolution).</summary>
        Reject = Constants.JAMSTAT_OFF_GRID_REJECT,
        /// <summary>Rounded to the nearest grid point, ties to even, and counted (Aggregator.RoundedValues).</summary>
        Round = Constants.JAMSTAT_OFF_GRID_ROUND,
    }

    /// <summary>A numeric measure's definition (jamstat_measure_definition).</summary>
    public sealed class MeasureDefinition
    {
        /// <summary>Name (required), e.g. "hours".</summary>
        public string Name { get; set; }
        /// <summary>Unit, free text, e.g. "h" or "SEK".</summary>
        public string Unit { get; set; }
        /// <summary>Swedish label.</summary>
        public string LabelSv { get; set; }
        /// <summary>English label.</summary>
        public string LabelEn { get; set; }
        /// <summary>Floating (the default) or Decimal.</summary>
        public MeasureKind Kind { get; set; }
        /// <summary>Decimal measures: resolution 10^-Decimals, 0..9.</summary>
        public int Decimals { get; set; }
        /// <summary>Decimal measures: what happens off the grid.</summary>
        public OffGridPolicy OffGrid { get; set; }
        /// <summary>Smallest valid value; with Highest, a range (both null: the kind's widest range).</summary>
        public double? Lowest { get; set; }
        /// <summary>Largest valid value.</summary>
        public double? Highest { get; set; }

        /// <summary>A floating measure called <paramref name="name"/> with the widest range.</summary>
        public MeasureDefinition(string name)
        {
            Name = name;
            Unit = LabelSv = LabelEn = "";
        }

        internal static unsafe MeasureDefinition FromNative(ref jamstat_measure_definition d)
        {
            var m = new MeasureDefinition(Utf8.Decode(d.name))
            {
                Unit = Utf8.Decode(d.unit) ?? "",
                LabelSv = Utf8.Decode(d.label_sv) ?? "",
                LabelEn = Utf8.Decode(d.label_en) ?? "",
                Kind = (MeasureKind)d.kind,
                Decimals = (int)d.decimals,
                OffGrid = (OffGridPolicy)d.off_grid,
            };
            if (d.has_range != 0)
            {
                m.Lowest = d.lowest;
                m.Highest = d.highest;
            }
            return m;
        }

        /// <summary>"hours (h), Decimal 2, [0, 80]".</summary>
        public override string ToString()
        {
            return Name + (string.IsNullOrEmpty(Unit) ? "" : " (" + Unit + ")") + ", " + Kind +
                   (Kind == MeasureKind.Decimal ? " " + Decimals : "") +
                   (Lowest.HasValue ? ", [" + Lowest.Value + ", " + Highest.Value + "]" : "");
        }
    }

    /// <summary>A level of a dimension: its index, code and labels.</summary>
    public struct Level
    {
        /// <summary>Level index within the dimension (the order of definition).</summary>
        public int Index { get; private set; }
        /// <summary>The code used in records.</summary>
        public int Code { get; private set; }
        /// <summary>Swedish label.</summary>
        public string LabelSv { get; private set; }
        /// <summary>English label.</summary>
        public string LabelEn { get; private set; }

        internal Level(int index, int code, string sv, string en) : this()
        {
            Index = index;
            Code = code;
            LabelSv = sv;
            LabelEn = en;
        }

        /// <summary>The label in <paramref name="language"/>.</summary>
        public string Label(Language language) { return language == Language.English ? LabelEn : LabelSv; }

        /// <summary>"2 Kvinnor".</summary>
        public override string ToString() { return Code + " " + LabelSv; }
    }

    /// <summary>
    /// Builds a schema: the dimensions (sex is built in as dimension 0), binary outcomes and
    /// numeric measures of the records. Calls chain; <see cref="Build"/> makes the immutable
    /// <see cref="Schema"/> (the builder stays usable).
    /// </summary>
    public sealed class SchemaBuilder : IDisposable
    {
        readonly SchemaBuilderHandle handle;

        /// <summary>An empty builder (sex is always included).</summary>
        public SchemaBuilder()
        {
            Library.EnsureLoaded();
            handle = Create();
        }

        [MethodImpl(MethodImplOptions.NoInlining)]  // compiled after EnsureLoaded (see LoadedLibrary)
        static SchemaBuilderHandle Create()
        {
            SchemaBuilderHandle h;
            Check.Ok(NativeMethods.jamstat_schema_builder_new(out h));
            return h;
        }

        /// <summary>The C handle (for calls through Jamstat.Interop.NativeMethods).</summary>
        public SchemaBuilderHandle Handle { get { return handle; } }

        /// <summary>
        /// Adds a dimension with levels codes[i] labelled labelsSv[i] / labelsEn[i] (labelsEn may
        /// be null: the Swedish labels are used). At most 65,535 levels; names are unique ignoring
        /// ASCII case; "sex" and "person_id" are built in.
        /// </summary>
        public unsafe SchemaBuilder AddDimension(string name, int[] codes, string[] labelsSv, string[] labelsEn = null)
        {
            if (codes == null) throw new ArgumentNullException("codes");
            if (labelsSv == null) throw new ArgumentNullException("labelsSv");
            if (labelsEn == null) labelsEn = labelsSv;
            if (labelsSv.Length != codes.Length || labelsEn.Length != codes.Length)
                throw new ArgumentException("jamstat: dimension \"" + name + "\": " + codes.Length + " codes but " + labelsSv.Length +
                                            " Swedish and " + labelsEn.Length + " English labels", "labelsSv");
            using (var sv = new Utf8Array(labelsSv, "labelsSv"))
            using (var en = new Utf8Array(labelsEn, "labelsEn"))
            fixed (byte* n = Utf8.Encode(name, "name"))
            fixed (int* c = codes)
            {
                Check.Ok(NativeMethods.jamstat_schema_builder_add_dimension(handle, n, new UIntPtr((uint)codes.Length), c, sv.Pointer, en.Pointer));
            }
            return this;
        }

        /// <summary>Adds a dimension from its levels (code, Swedish label, English label).</summary>
        public SchemaBuilder AddDimension(string name, IEnumerable<Level> levels)
        {
            if (levels == null) throw new ArgumentNullException("levels");
            var codes = new List<int>();
            var sv = new List<string>();
            var en = new List<string>();
            foreach (var l in levels)
            {
                codes.Add(l.Code);
                sv.Add(l.LabelSv);
                en.Add(l.LabelEn ?? l.LabelSv);
            }
            return AddDimension(name, codes.ToArray(), sv.ToArray(), en.ToArray());
        }

        /// <summary>Sets the Swedish and English labels of a dimension added before ("Åldersgrupp" / "Age band").</summary>
        public unsafe SchemaBuilder SetDimensionLabels(string dimension, string labelSv, string labelEn)
        {
            fixed (byte* d = Utf8.Encode(dimension, "dimension"))
            fixed (byte* sv = Utf8.Encode(labelSv ?? "", "labelSv"))
            fixed (byte* en = Utf8.Encode(labelEn ?? "", "labelEn"))
            {
                Check.Ok(NativeMethods.jamstat_schema_builder_set_dimension_labels(handle, d, sv, en));
            }
            return this;
        }

        /// <summary>Adds a binary outcome.</summary>
        public unsafe SchemaBuilder AddOutcome(string name, string labelSv = "", string labelEn = "")
        {
            fixed (byte* n = Utf8.Encode(name, "name"))
            fixed (byte* sv = Utf8.Encode(labelSv ?? "", "labelSv"))
            fixed (byte* en = Utf8.Encode(labelEn ?? "", "labelEn"))
            {
                Check.Ok(NativeMethods.jamstat_schema_builder_add_outcome(handle, n, sv, en));
            }
            return this;
        }

        /// <summary>Adds a floating numeric measure with the widest range (|x| &lt;= 1e140).</summary>
        public unsafe SchemaBuilder AddNumeric(string name, string unit = "", string labelSv = "", string labelEn = "")
        {
            fixed (byte* n = Utf8.Encode(name, "name"))
            fixed (byte* u = Utf8.Encode(unit ?? "", "unit"))
            fixed (byte* sv = Utf8.Encode(labelSv ?? "", "labelSv"))
            fixed (byte* en = Utf8.Encode(labelEn ?? "", "labelEn"))
            {
                Check.Ok(NativeMethods.jamstat_schema_builder_add_numeric(handle, n, u, sv, en));
            }
            return this;
        }

        /// <summary>Adds a numeric measure of either kind, with a range if Lowest and Highest are set.</summary>
        public unsafe SchemaBuilder AddMeasure(MeasureDefinition definition)
        {
            if (definition == null) throw new ArgumentNullException("definition");
            if (definition.Lowest.HasValue != definition.Highest.HasValue)
                throw new ArgumentException("jamstat: measure \"" + definition.Name + "\": set both Lowest and Highest, or neither", "definition");
            var d = jamstat_measure_definition.Init();
            fixed (byte* n = Utf8.Encode(definition.Name, "definition.Name"))
            fixed (byte* u = Utf8.Encode(definition.Unit ?? "", "definition.Unit"))
            fixed (byte* sv = Utf8.Encode(definition.LabelSv ?? "", "definition.LabelSv"))
            fixed (byte* en = Utf8.Encode(definition.LabelEn ?? "", "definition.LabelEn"))
            {
                d.name = n;
                d.unit = u;
                d.label_sv = sv;
                d.label_en = en;
                d.kind = (uint)definition.Kind;
                d.decimals = checked((uint)definition.Decimals);
                d.off_grid = (uint)definition.OffGrid;
                if (definition.Lowest.HasValue)
                {
                    d.has_range = 1;
                    d.lowest = definition.Lowest.Value;
                    d.highest = definition.Highest.Value;
                }
                Check.Ok(NativeMethods.jamstat_schema_builder_add_measure(handle, &d));
            }
            return this;
        }

        /// <summary>
        /// Declares the cross-product set (jamstat_schema_builder_set_cross_products; docs/engine.md,
        /// "Cross-products"): outcomes and decimal measures, 2 to 16 names, whose exact sums of products
        /// every cell keeps, so that they can be numeric characteristics of
        /// <see cref="Aggregator.OaxacaBlinderNumeric"/>. Kept in field order whatever order they are
        /// given in; a later call replaces the set, no names clear it. The names are checked by Build().
        /// </summary>
        public unsafe SchemaBuilder CrossProducts(params string[] names)
        {
            if (names == null) throw new ArgumentNullException("names");
            using (var n = new Utf8Array(names, "names"))
            {
                Check.Ok(NativeMethods.jamstat_schema_builder_set_cross_products(handle, n.Pointer, new UIntPtr((uint)n.Count)));
            }
            return this;
        }

        /// <summary>Builds the immutable schema (dispose it; aggregators keep their own reference).</summary>
        public Schema Build()
        {
            SchemaHandle s;
            Check.Ok(NativeMethods.jamstat_schema_build(handle, out s));
            return new Schema(s);
        }

        /// <summary>Frees the builder.</summary>
        public void Dispose() { handle.Dispose(); }
    }

    /// <summary>
    /// An immutable schema: dimensions (sex is dimension 0), outcomes and numeric measures. The
    /// C schema is reference counted: aggregators keep it alive after this object is disposed.
    /// </summary>
    public sealed class Schema : IDisposable
    {
        readonly SchemaHandle handle;

        internal Schema(SchemaHandle handle) { this.handle = handle; }

        /// <summary>The C handle (for calls through Jamstat.Interop.NativeMethods).</summary>
        public SchemaHandle Handle { get { return handle; } }

        /// <summary>Number of dimensions, sex (index 0) included.</summary>
        public unsafe int DimensionCount
        {
            get
            {
                UIntPtr n;
                Check.Ok(NativeMethods.jamstat_schema_dimension_count(handle, &n));
                return checked((int)(ulong)n);
            }
        }

        /// <summary>Number of binary outcomes.</summary>
        public unsafe int OutcomeCount
        {
            get
            {
                UIntPtr n;
                Check.Ok(NativeMethods.jamstat_schema_outcome_count(handle, &n));
                return checked((int)(ulong)n);
            }
        }

        /// <summary>Number of numeric measures.</summary>
        public unsafe int NumericCount
        {
            get
            {
                UIntPtr n;
                Check.Ok(NativeMethods.jamstat_schema_numeric_count(handle, &n));
                return checked((int)(ulong)n);
            }
        }

        /// <summary>
        /// Number of fields of a record: dimensions, outcomes, numeric measures (person_id
        /// follows as field FieldCount when persons are counted).
        /// </summary>
        public int FieldCount { get { return DimensionCount + OutcomeCount + NumericCount; } }

        /// <summary>Name of dimension <paramref name="dimension"/> ("sex" for 0).</summary>
        public unsafe string DimensionName(int dimension)
        {
            byte* s = null;
            Check.Ok(NativeMethods.jamstat_schema_dimension_name(handle, Size(dimension, "dimension"), &s));
            return Utf8.Decode(s);
        }

        /// <summary>Label of a dimension in <paramref name="language"/> ("" when none; sex: "Kön" / "Sex").</summary>
        public unsafe string DimensionLabel(int dimension, Language language)
        {
            byte* sv = null;
            byte* en = null;
            Check.Ok(NativeMethods.jamstat_schema_dimension_labels(handle, Size(dimension, "dimension"), &sv, &en));
            return Utf8.Decode(language == Language.English ? en : sv);
        }

        /// <summary>Index of the dimension called <paramref name="name"/>; a JamstatException if there is none.</summary>
        public unsafe int DimensionIndex(string name)
        {
            UIntPtr i;
            fixed (byte* n = Utf8.Encode(name, "name"))
                Check.Ok(NativeMethods.jamstat_schema_dimension_index(handle, n, &i));
            return checked((int)(ulong)i);
        }

        /// <summary>Number of levels of a dimension.</summary>
        public unsafe int LevelCount(int dimension)
        {
            UIntPtr n;
            Check.Ok(NativeMethods.jamstat_schema_level_count(handle, Size(dimension, "dimension"), &n));
            return checked((int)(ulong)n);
        }

        /// <summary>Level <paramref name="level"/> of a dimension.</summary>
        public unsafe Level Level(int dimension, int level)
        {
            int code;
            byte* sv = null;
            byte* en = null;
            Check.Ok(NativeMethods.jamstat_schema_level(handle, Size(dimension, "dimension"), Size(level, "level"), &code, &sv, &en));
            return new Level(level, code, Utf8.Decode(sv), Utf8.Decode(en));
        }

        /// <summary>Every level of a dimension, in level order.</summary>
        public Level[] Levels(int dimension)
        {
            var levels = new Level[LevelCount(dimension)];
            for (int i = 0; i < levels.Length; ++i) levels[i] = Level(dimension, i);
            return levels;
        }

        /// <summary>The level index of <paramref name="code"/> in a dimension; a JamstatException if no level has it.</summary>
        public unsafe int LevelIndex(int dimension, int code)
        {
            UIntPtr i;
            Check.Ok(NativeMethods.jamstat_schema_level_index(handle, Size(dimension, "dimension"), code, &i));
            return checked((int)(ulong)i);
        }

        /// <summary>Name of a schema field: dimensions, then outcomes, numeric measures, "person_id".</summary>
        public unsafe string FieldName(int field)
        {
            byte* s = null;
            Check.Ok(NativeMethods.jamstat_schema_field_name(handle, Size(field, "field"), &s));
            return Utf8.Decode(s);
        }

        /// <summary>Stable 64-bit fingerprint of the full definition.</summary>
        public unsafe ulong Fingerprint
        {
            get
            {
                ulong f;
                Check.Ok(NativeMethods.jamstat_schema_fingerprint(handle, &f));
                return f;
            }
        }

        /// <summary>
        /// The cross-product set (jamstat_schema_cross_product_count / _name): the outcomes and decimal
        /// measures whose exact sums of products every cell keeps, in field order; empty when none.
        /// </summary>
        public unsafe string[] CrossProducts
        {
            get
            {
                UIntPtr n;
                Check.Ok(NativeMethods.jamstat_schema_cross_product_count(handle, &n));
                var names = new string[checked((int)(ulong)n)];
                for (int i = 0; i < names.Length; ++i)
                {
                    byte* s = null;
                    Check.Ok(NativeMethods.jamstat_schema_cross_product_name(handle, new UIntPtr((uint)i), &s));
                    names[i] = Utf8.Decode(s);
                }
                return names;
            }
        }

        /// <summary>Definition of numeric measure <paramref name="measure"/>, its range resolved.</summary>
        public unsafe MeasureDefinition Measure(int measure)
        {
            var d = jamstat_measure_definition.Init();
            Check.Ok(NativeMethods.jamstat_schema_measure(handle, Size(measure, "measure"), &d));
            return MeasureDefinition.FromNative(ref d);
        }

        /// <summary>Frees this reference to the schema.</summary>
        public void Dispose() { handle.Dispose(); }

        internal static UIntPtr Size(int value, string argument)
        {
            if (value < 0) throw new ArgumentOutOfRangeException(argument, value, "jamstat: " + argument + " must not be negative");
            return new UIntPtr((uint)value);
        }
    }
}
