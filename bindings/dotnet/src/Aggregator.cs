using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Jamstat.Interop;

namespace Jamstat
{
    /// <summary>Options of an aggregator (jamstat_aggregator_options).</summary>
    public sealed class AggregatorOptions
    {
        /// <summary>What happens to a bad record: Reject (the default: an exception, a batch is all-or-nothing) or Tally.</summary>
        public BadRecordPolicy OnBadRecord { get; set; }

        /// <summary>
        /// Count distinct persons: every record then needs a person id, hashed on arrival with
        /// <see cref="PersonKey"/> (16 bytes, the caller's secret; the all-zero key is refused).
        /// </summary>
        public bool CountPersons { get; set; }

        /// <summary>The 16-byte SipHash key for person ids (required when CountPersons).</summary>
        public byte[] PersonKey { get; set; }

        internal unsafe jamstat_aggregator_options ToNative()
        {
            var o = jamstat_aggregator_options.Init();
            o.on_bad_record = (uint)OnBadRecord;
            o.count_persons = CountPersons ? 1u : 0u;
            if (PersonKey != null)
            {
                if (PersonKey.Length != 16)
                    throw new ArgumentException("jamstat: PersonKey must have 16 bytes, not " + PersonKey.Length, "PersonKey");
                for (int i = 0; i < 16; ++i) o.person_key[i] = PersonKey[i];
            }
            return o;
        }
    }

    /// <summary>A person id, hashed with the aggregator's key on arrival and never stored.</summary>
    public struct PersonId
    {
        internal readonly PersonIdKind Kind;
        internal readonly ulong Integer;
        internal readonly byte[] Bytes;

        PersonId(PersonIdKind kind, ulong integer, byte[] bytes)
        {
            Kind = kind;
            Integer = integer;
            Bytes = bytes;
        }

        /// <summary>No person id (for aggregators that do not count persons).</summary>
        public static readonly PersonId None = new PersonId(PersonIdKind.None, 0, null);

        /// <summary>An integer id (hashed as its 8 little-endian bytes).</summary>
        public static PersonId Of(ulong id) { return new PersonId(PersonIdKind.Integer, id, null); }

        /// <summary>A byte-string id (empty is missing).</summary>
        public static PersonId Of(byte[] id)
        {
            if (id == null) throw new ArgumentNullException("id");
            return new PersonId(PersonIdKind.Bytes, 0, id);
        }

        /// <summary>A text id, hashed as its UTF-8 bytes (empty is missing).</summary>
        public static PersonId Of(string id) { return new PersonId(PersonIdKind.Bytes, 0, Utf8.EncodeBytes(id, "id")); }

        /// <summary>A person known by a personnummer or samordningsnummer: its canonical 12 digits,
        /// as the CSV ingest hashes them (the same person whichever form the number was written in).</summary>
        public static PersonId Of(Personnummer number)
        {
            if (number == null) throw new ArgumentNullException("number");
            return new PersonId(PersonIdKind.Bytes, 0, number.CanonicalBytes);
        }

        /// <summary>A personnummer as a person id (<see cref="Of(Personnummer)"/>).</summary>
        public static implicit operator PersonId(Personnummer number) { return Of(number); }

        /// <summary>True for <see cref="None"/>.</summary>
        public bool IsNone { get { return Kind == PersonIdKind.None; } }
    }

    /// <summary>What a state holds about persons (<see cref="Aggregator.StateForm"/>; docs/state-format.md).</summary>
    public enum StateForm
    {
        /// <summary>Persons not counted: no person data at all.</summary>
        ParticipationsOnly = Constants.JAMSTAT_STATE_PARTICIPATIONS_ONLY,
        /// <summary>Keyed hashes of person ids per cell: pseudonymised personal data for whoever holds the key.</summary>
        Pseudonymised = Constants.JAMSTAT_STATE_PSEUDONYMISED,
        /// <summary>Distinct persons frozen as counts per cell of some groupings; no hashes (<see cref="Aggregator.PersonFree()"/>).</summary>
        PersonFree = Constants.JAMSTAT_STATE_PERSON_FREE,
    }

    /// <summary>What a batch did (jamstat_batch_result), with every bad row found.</summary>
    public sealed class BatchResult
    {
        /// <summary>Rows added.</summary>
        public ulong Accepted { get; internal set; }
        /// <summary>Rows rejected (tallied under BadRecordPolicy.Tally).</summary>
        public ulong Rejected { get; internal set; }
        /// <summary>The first bad row's message ("" when none).</summary>
        public string FirstRejectedMessage { get; internal set; }
        /// <summary>The bad rows (row, field, reason) in row order, up to the aggregator's BadRowCapacity.</summary>
        public IReadOnlyList<BadRow> BadRows { get; internal set; }
        /// <summary>How many bad rows the batch has (may exceed BadRows.Count).</summary>
        public long BadRowCount { get; internal set; }
    }

    /// <summary>
    /// Aggregates participation records of one schema: counts, outcomes, numeric measures and
    /// (optionally) distinct persons per cell, from which roll-ups, the cube, the total, the gap
    /// report and a serialized state are made. Not thread-safe for adding: one aggregator per
    /// thread, then <see cref="Merge"/>.
    /// </summary>
    public sealed class Aggregator : IDisposable
    {
        readonly AggregatorHandle handle;
        readonly SchemaHandle schema;  // our own reference, for field names in errors
        jamstat_row_error[] errorBuffer;

        /// <summary>An aggregator for <paramref name="schema"/> (options may be null for the defaults).</summary>
        public unsafe Aggregator(Schema schema, AggregatorOptions options = null)
        {
            if (schema == null) throw new ArgumentNullException("schema");
            AggregatorHandle h;
            if (options == null)
                Check.Ok(NativeMethods.jamstat_aggregator_new(schema.Handle, null, out h));
            else
            {
                var o = options.ToNative();
                Check.Ok(NativeMethods.jamstat_aggregator_new(schema.Handle, &o, out h));
            }
            handle = h;
            this.schema = OwnSchema(h);
            BadRowCapacity = 1000;
        }

        Aggregator(AggregatorHandle handle)
        {
            this.handle = handle;
            schema = OwnSchema(handle);
            BadRowCapacity = 1000;
        }

        // Taken at construction: a jamstat call clears the thread's last error, so none may come
        // between a failed call and reading its error.
        static SchemaHandle OwnSchema(AggregatorHandle h)
        {
            SchemaHandle s;
            var status = NativeMethods.jamstat_aggregator_schema(h, out s);
            if (status != Status.Ok)
            {
                var e = JamstatException.FromLastError(status, null);
                h.Dispose();
                throw e;
            }
            return s;
        }

        /// <summary>The C handle (for calls through Jamstat.Interop.NativeMethods).</summary>
        public AggregatorHandle Handle { get { return handle; } }

        /// <summary>
        /// How many bad rows of a batch are reported (in JamstatException.BadRows or
        /// BatchResult.BadRows); the count of all of them is reported too. Default 1000.
        /// </summary>
        public int BadRowCapacity { get; set; }

        SchemaHandle SchemaRef { get { return schema; } }

        /// <summary>A new reference to the aggregator's schema (dispose it).</summary>
        public Schema GetSchema()
        {
            SchemaHandle s;
            Check.Ok(NativeMethods.jamstat_aggregator_schema(handle, out s));
            return new Schema(s);
        }

        /// <summary>
        /// Adds one record: codes per dimension (sex first, ISO/IEC 5218), outcomes (0/1) per
        /// outcome, numerics (finite) per numeric measure, and a person id when persons are
        /// counted. Returns true if added, false if tallied as rejected (Tally policy); under
        /// Reject a bad record throws a JamstatException with its field and reason.
        /// </summary>
        public unsafe bool Add(int[] codes, int[] outcomes = null, double[] numerics = null, PersonId person = default(PersonId))
        {
            if (codes == null) throw new ArgumentNullException("codes");
            int accepted = 0;
            jamstat_person_id id = new jamstat_person_id();
            id.kind = (uint)person.Kind;
            id.integer = person.Integer;
            Status status;
            fixed (int* c = codes)
            fixed (int* o = outcomes)
            fixed (double* n = numerics)
            fixed (byte* b = person.Bytes)
            {
                id.bytes = b;
                id.length = new UIntPtr(person.Bytes == null ? 0u : (uint)person.Bytes.Length);
                status = NativeMethods.jamstat_aggregator_add(handle, c, new UIntPtr((uint)codes.Length), o,
                    new UIntPtr(outcomes == null ? 0u : (uint)outcomes.Length), n,
                    new UIntPtr(numerics == null ? 0u : (uint)numerics.Length), person.IsNone ? null : &id, &accepted);
            }
            if (status != Status.Ok) throw JamstatException.FromLastError(status, SchemaRef);
            return accepted != 0;
        }

        /// <summary>
        /// Adds a columnar batch (the fast path): one column per schema field in order (dimensions
        /// with sex first, outcomes, numeric measures, then person ids when persons are counted),
        /// each of the same length. Arrays are passed without a copy. Under Reject a batch with a
        /// bad row throws a JamstatException listing every bad row, and nothing is added; under
        /// Tally the bad rows are skipped, counted and listed in the result.
        /// </summary>
        public BatchResult AddArrays(params Column[] columns)
        {
            if (columns == null || columns.Length == 0) throw new ArgumentException("jamstat: no columns", "columns");
            return AddArrays(columns[0].Count, columns);
        }

        /// <summary>As <see cref="AddArrays(Column[])"/> with the row count given (each column must have that many values).</summary>
        public unsafe BatchResult AddArrays(long rows, params Column[] columns)
        {
            if (columns == null) throw new ArgumentNullException("columns");
            if (rows < 0) throw new ArgumentOutOfRangeException("rows", rows, "jamstat: rows must not be negative");
            var result = jamstat_batch_result.Init();
            int capacity = Math.Max(0, BadRowCapacity);
            if (errorBuffer == null || errorBuffer.Length != capacity) errorBuffer = new jamstat_row_error[capacity];
            Status status;
            jamstat_array* arrays = stackalloc jamstat_array[Math.Max(columns.Length, 1)];
            using (new PinnedColumns(columns, arrays))
            fixed (jamstat_row_error* errors = errorBuffer)
            {
                result.errors = errors;
                result.error_capacity = (ulong)capacity;
                status = NativeMethods.jamstat_aggregator_add_arrays(handle, (ulong)rows, arrays, new UIntPtr((uint)columns.Length), &result);
            }
            return Finish(status, ref result);
        }

        /// <summary>
        /// Adds a batch given as columns by field name (any order; every field of the schema,
        /// and "person_id" when persons are counted).
        /// </summary>
        public BatchResult AddColumns(IDictionary<string, Column> columns)
        {
            if (columns == null) throw new ArgumentNullException("columns");
            var ordered = new List<Column>();
            var used = 0;
            using (var s = GetSchema())
            {
                int fields = s.FieldCount;
                for (int f = 0; f <= fields; ++f)
                {
                    string name = s.FieldName(f);
                    Column c;
                    if (columns.TryGetValue(name, out c))
                    {
                        ordered.Add(c);
                        ++used;
                    }
                    else if (f < fields)
                        throw new ArgumentException("jamstat: no column for field \"" + name + "\"", "columns");
                }
                if (used != columns.Count)
                {
                    var known = new Dictionary<string, bool>();
                    for (int f = 0; f <= fields; ++f) known[s.FieldName(f)] = true;
                    foreach (var k in columns.Keys)
                        if (!known.ContainsKey(k)) throw new ArgumentException("jamstat: the schema has no field \"" + k + "\"", "columns");
                }
            }
            return AddArrays(ordered.ToArray());
        }

        unsafe BatchResult Finish(Status status, ref jamstat_batch_result result)
        {
            // Read the C error state first: the field-name lookups below are jamstat calls.
            JamstatException error = status == Status.Ok ? null : JamstatException.FromLastError(status, SchemaRef);
            long count = (long)result.error_count;
            var rows = new List<BadRow>();
            long listed = Math.Min(count, errorBuffer.Length);
            for (long i = 0; i < listed; ++i)
            {
                var e = errorBuffer[i];
                rows.Add(new BadRow((long)e.row, e.field, JamstatException.FieldNameOf(SchemaRef, e.field), (RejectionReason)e.reason));
            }
            if (error != null)
            {
                error.SetBadRows(rows, count);
                throw error;
            }
            string message;
            fixed (byte* m = result.first_rejected_message) message = Utf8.Decode(m, 256);
            return new BatchResult
            {
                Accepted = result.accepted,
                Rejected = result.rejected,
                FirstRejectedMessage = message,
                BadRows = rows.AsReadOnly(),
                BadRowCount = count,
            };
        }

        /// <summary>
        /// Adds anonymous participants known only by sex (ISO/IEC 5218). A code that is not
        /// ISO/IEC 5218 follows the bad-record policy.
        /// </summary>
        public void AddAnonymous(int sex, ulong participants)
        {
            Check.Ok(NativeMethods.jamstat_aggregator_add_anonymous(handle, sex, participants), SchemaRef);
        }

        /// <summary>Adds everything <paramref name="other"/> holds (same schema and person key).</summary>
        public void Merge(Aggregator other)
        {
            if (other == null) throw new ArgumentNullException("other");
            Check.Ok(NativeMethods.jamstat_aggregator_merge(handle, other.handle));
        }

        /// <summary>Records added (rejected ones excluded).</summary>
        public unsafe ulong Participations
        {
            get
            {
                ulong n;
                Check.Ok(NativeMethods.jamstat_aggregator_participations(handle, &n));
                return n;
            }
        }

        /// <summary>Rejected records tallied for a reason and a field (null: all reasons / all fields).</summary>
        public unsafe ulong Rejected(RejectionReason? reason = null, int? field = null)
        {
            ulong n;
            Check.Ok(NativeMethods.jamstat_aggregator_rejected(handle, reason.HasValue ? (int)reason.Value : Constants.JAMSTAT_ANY,
                                                              field.HasValue ? field.Value : Constants.JAMSTAT_ANY, &n));
            return n;
        }

        /// <summary>Values of decimal measure <paramref name="measure"/> rounded to its grid (OffGridPolicy.Round).</summary>
        public unsafe ulong RoundedValues(int measure)
        {
            ulong n;
            Check.Ok(NativeMethods.jamstat_aggregator_rounded_values(handle, Schema.Size(measure, "measure"), &n));
            return n;
        }

        /// <summary>Roll-up at exactly these dimensions (schema indices; sex is not added), in this order.</summary>
        public unsafe Table Rollup(params int[] dimensions)
        {
            if (dimensions == null) dimensions = new int[0];
            var d = new UIntPtr[dimensions.Length];
            for (int i = 0; i < d.Length; ++i) d[i] = Schema.Size(dimensions[i], "dimensions");
            TableHandle t;
            fixed (UIntPtr* p = d)
                Check.Ok(NativeMethods.jamstat_rollup(handle, p, new UIntPtr((uint)d.Length), out t));
            return new Table(t);
        }

        /// <summary>Roll-up by dimension names, sex first unless <paramref name="keepSex"/> is false.</summary>
        public unsafe Table Rollup(string[] names, bool keepSex = true)
        {
            if (names == null) throw new ArgumentNullException("names");
            TableHandle t;
            using (var n = new Utf8Array(names, "names"))
                Check.Ok(NativeMethods.jamstat_rollup_by_name(handle, n.Pointer, new UIntPtr((uint)n.Count), keepSex ? 1 : 0, out t));
            return new Table(t);
        }

        /// <summary>The total ("Totalt"): one cell, anonymous participants included.</summary>
        public Table Total()
        {
            TableHandle t;
            Check.Ok(NativeMethods.jamstat_total(handle, out t));
            return new Table(t);
        }

        /// <summary>Every roll-up at once (the 2^d tables of the cube lattice; at most 20 dimensions).</summary>
        public Cube Cube()
        {
            CubeHandle c;
            Check.Ok(NativeMethods.jamstat_cube_new(handle, out c));
            return new Cube(c);
        }

        /// <summary>The groupings to publish, protected at once as linked tables (masks as
        /// jamstat_cube_table takes them: bit k = schema dimension k, bit 0 = sex, 0 = the total).
        /// Options may be null for the defaults (cell suppression).</summary>
        public ProtectedTables ProtectedTables(ulong[] groupingMasks, DisclosureOptions options = null)
        {
            return Jamstat.ProtectedTables.Create(this, groupingMasks, options);
        }

        /// <summary>The groupings to publish, by dimension names ("sex" named explicitly; an empty
        /// array is the total), protected at once as linked tables.</summary>
        public ProtectedTables ProtectedTables(string[][] groupings, DisclosureOptions options = null)
        {
            if (groupings == null) throw new ArgumentNullException("groupings");
            var masks = new ulong[groupings.Length];
            using (var s = GetSchema())
                for (int g = 0; g < masks.Length; ++g) masks[g] = Jamstat.ProtectedTables.MaskOf(s, groupings[g]);
            return Jamstat.ProtectedTables.Create(this, masks, options);
        }

        /// <summary>The gap report of this aggregator (options may be null for the defaults).</summary>
        public GapReport GapReport(GapOptions options = null)
        {
            return Jamstat.GapReport.Create(this, options);
        }

        /// <summary>
        /// The strata table: the gap report over the strata of <paramref name="dimensions"/>
        /// (names besides sex) crossed with sex, women against men in every stratum. Options as
        /// for GapReport; CompareAcross, AdjustFor, Target and Previous must be empty.
        /// </summary>
        public GapReport StrataReport(string[] dimensions, GapOptions options = null)
        {
            if (dimensions == null) throw new ArgumentNullException("dimensions");
            return Jamstat.GapReport.Create(this, dimensions, options);
        }

        /// <summary>MAIHDA: the null and additive multilevel models over the strata of sex x the options' dimensions.</summary>
        public Maihda Maihda(MaihdaOptions options)
        {
            return Jamstat.Maihda.Create(this, options);
        }

        /// <summary>The Oaxaca-Blinder decomposition of the gap between women and men (women minus men).</summary>
        public Decomposition OaxacaBlinder(OaxacaOptions options)
        {
            return Decomposition.Create(this, options);
        }

        /// <summary>
        /// The Oaxaca-Blinder decomposition with numeric characteristics (jamstat_oaxaca_numeric_new;
        /// docs/methods-intersectional.md section 2.5): the options' subject (an outcome, or a decimal
        /// measure of the schema's cross-product set) regressed on <paramref name="numeric"/> (names in
        /// the set, one column each, in this order) and on the options' characteristics (dimensions
        /// besides sex, dummy coded; may be empty), X'X and X'y summed exactly from the cells'
        /// cross-products. The linear decomposition only. A JamstatException (InvalidArgument) when the
        /// schema keeps no cross-product set or a name is not in it.
        /// </summary>
        public Decomposition OaxacaBlinderNumeric(OaxacaOptions options, params string[] numeric)
        {
            if (numeric == null) throw new ArgumentNullException("numeric");
            return Decomposition.Create(this, options, numeric);
        }

        /// <summary>The bytes <see cref="Serialize"/> needs now.</summary>
        public unsafe long SerializedSize
        {
            get
            {
                UIntPtr n;
                Check.Ok(NativeMethods.jamstat_aggregator_serialized_size(handle, &n));
                return checked((long)(ulong)n);
            }
        }

        /// <summary>
        /// The aggregator's state (docs/state-format.md). A state that counts persons holds keyed
        /// hashes of person ids: pseudonymised personal data for whoever holds the key.
        /// </summary>
        public unsafe byte[] Serialize()
        {
            while (true)
            {
                var buffer = new byte[SerializedSize];
                UIntPtr size;
                Status status;
                fixed (byte* b = buffer)
                    status = NativeMethods.jamstat_aggregator_serialize(handle, b, new UIntPtr((ulong)buffer.LongLength), &size);
                if (status == Status.ErrorBufferTooSmall) continue;  // changed in between by another owner: ask again
                Check.Ok(status);
                if ((ulong)size == (ulong)buffer.LongLength) return buffer;
                var exact = new byte[(long)(ulong)size];
                System.Buffer.BlockCopy(buffer, 0, exact, 0, exact.Length);
                return exact;
            }
        }

        /// <summary>
        /// A new aggregator from a serialized state. To add records to a state that counts
        /// persons, give options with CountPersons and the same PersonKey; without, the state can
        /// be merged and queried only.
        /// </summary>
        public static Aggregator Deserialize(byte[] state, AggregatorOptions options = null)
        {
            if (state == null) throw new ArgumentNullException("state");
            Library.EnsureLoaded();
            return DeserializeLoaded(state, options);
        }

        [MethodImpl(MethodImplOptions.NoInlining)]  // compiled after EnsureLoaded (see LoadedLibrary)
        static unsafe Aggregator DeserializeLoaded(byte[] state, AggregatorOptions options)
        {
            AggregatorHandle h;
            fixed (byte* b = state)
            {
                if (options == null)
                    Check.Ok(NativeMethods.jamstat_aggregator_deserialize(b, new UIntPtr((ulong)state.LongLength), null, out h));
                else
                {
                    var o = options.ToNative();
                    Check.Ok(NativeMethods.jamstat_aggregator_deserialize(b, new UIntPtr((ulong)state.LongLength), &o, out h));
                }
            }
            return new Aggregator(h);
        }

        /// <summary>What the state holds about persons: participations only, pseudonymised (person hashes) or person-free.</summary>
        public unsafe StateForm StateForm
        {
            get
            {
                int form;
                Check.Ok(NativeMethods.jamstat_aggregator_state_form(handle, &form));
                return (StateForm)form;
            }
        }

        /// <summary>A person-free copy of this state with every grouping of the cube frozen (see <see cref="PersonFree(string[][])"/>).</summary>
        public Aggregator PersonFree()
        {
            return PersonFreeOf(new ulong[0]);
        }

        /// <summary>
        /// A person-free copy of this state, a new aggregator (dispose it; docs/state-format.md,
        /// "Person-free states"): the same cells, counts, outcomes, measures and tallies, but instead
        /// of the keyed hashes of person ids only the distinct persons of every cell of
        /// <paramref name="groupings"/>, for exchange with anyone who should not hold the person key.
        /// Groupings by dimension names as ProtectedTables(string[][], DisclosureOptions)
        /// takes them ("sex" named explicitly; an empty array is the total). The finest grouping is
        /// always frozen, so no groupings freezes only that one (<see cref="PersonFree()"/> freezes all).
        /// The copy's roll-ups have persons for the frozen groupings only (CellCounts.Persons and
        /// TableColumns.Persons null elsewhere); it serializes and reads back like any state, but
        /// takes no records and cannot be merged (JamstatException, InvalidArgument). A
        /// JamstatException (InvalidArgument) for a state that does not count persons or is
        /// person-free already, or a grouping given twice.
        /// </summary>
        public Aggregator PersonFree(string[][] groupings)
        {
            if (groupings == null) throw new ArgumentNullException("groupings");
            var masks = new ulong[groupings.Length];
            using (var s = GetSchema())
                for (int g = 0; g < masks.Length; ++g) masks[g] = Jamstat.ProtectedTables.MaskOf(s, groupings[g]);
            return PersonFree(masks);
        }

        /// <summary>As <see cref="PersonFree(string[][])"/>, the groupings as masks (bit k = schema
        /// dimension k, bit 0 = sex, 0 = the total); an empty array freezes only the finest grouping.</summary>
        public Aggregator PersonFree(ulong[] groupingMasks)
        {
            if (groupingMasks == null) throw new ArgumentNullException("groupingMasks");
            if (groupingMasks.Length > 0) return PersonFreeOf((ulong[])groupingMasks.Clone());
            int dimensions;
            using (var s = GetSchema()) dimensions = s.DimensionCount;
            return PersonFreeOf(new[] { (1UL << dimensions) - 1 });  // not count 0, which freezes every grouping
        }

        unsafe Aggregator PersonFreeOf(ulong[] masks)
        {
            AggregatorHandle h;
            fixed (ulong* m = masks)
                Check.Ok(NativeMethods.jamstat_aggregator_person_free(handle, masks.Length == 0 ? null : m, new UIntPtr((uint)masks.Length), out h),
                         SchemaRef);
            return new Aggregator(h);
        }

        /// <summary>Writes the state to a file.</summary>
        public void Save(string path) { File.WriteAllBytes(path, Serialize()); }

        /// <summary>Reads an aggregator from a state file.</summary>
        public static Aggregator Load(string path, AggregatorOptions options = null) { return Deserialize(File.ReadAllBytes(path), options); }

        /// <summary>Frees the aggregator (tables and cubes made from it stay valid).</summary>
        public void Dispose()
        {
            handle.Dispose();
            schema.Dispose();
        }
    }
}
