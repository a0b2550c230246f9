#!/usr/bin/env python3
"""Generates the C# interop declarations of the .NET binding from abi/jamstat-abi.json.

The output (bindings/dotnet/src/Interop.g.cs, checked in so that `dotnet build` of Jamstat.csproj
needs no Python) holds, generated and never edited by hand:
  - Jamstat.Interop.Constants: every JAMSTAT_* constant with its value (C names);
  - the C enums as C# enums in namespace Jamstat (Status, Language, BadRecordPolicy,
    PersonIdKind, ColumnType, RejectionReason, ...), member names without the common prefix;
  - every C struct as a blittable C# struct (C names) with LayoutKind.Explicit, the offsets and
    the size the compiler gave (so the layout is the C compiler's, not a guess), fixed buffers for
    C arrays, and Init() returning the _INIT macro's defaults;
  - one SafeHandle subclass per opaque handle (Jamstat.Interop.SchemaHandle, ...) whose
    ReleaseHandle calls jamstat_X_free(&h);
  - Jamstat.Interop.NativeMethods: one [DllImport] per C function, blittable types only
    (strings are byte* UTF-8, size_t is UIntPtr, handles are the SafeHandle classes, X** out
    parameters are `out XHandle`, jamstat_X_free takes `ref IntPtr`);
  - managed copies of the column-wise result structs (Findings, SexColumns, MeasureColumns):
    each pointer column becomes an array of `count` values.

Only the Python 3 standard library is used.

Usage: generate_interop.py ABI_JSON OUT.cs            write OUT.cs
       generate_interop.py ABI_JSON OUT.cs --check    exit 1 when OUT.cs differs (ctest runs this)
"""
import json
import re
import sys

CS_KEYWORDS = {
    "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const",
    "continue", "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern",
    "false", "finally", "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface",
    "internal", "is", "lock", "long", "namespace", "new", "null", "object", "operator", "out", "override",
    "params", "private", "protected", "public", "readonly", "ref", "return", "sbyte", "sealed", "short",
    "sizeof", "stackalloc", "static", "string", "struct", "switch", "this", "throw", "true", "try", "typeof",
    "uint", "ulong", "unchecked", "unsafe", "ushort", "using", "virtual", "void", "volatile", "while",
}

PRIMITIVES = {
    "uint8_t": "byte", "int8_t": "sbyte", "uint16_t": "ushort", "int16_t": "short",
    "uint32_t": "uint", "int32_t": "int", "uint64_t": "ulong", "int64_t": "long",
    "double": "double", "float": "float", "int": "int", "unsigned": "uint",
    "size_t": "UIntPtr", "char": "byte", "void": "void",
    "struct ArrowSchema": "void", "struct ArrowArray": "void",  # Arrow C Data Interface: passed as void*
}

# Column-wise result structs copied into managed classes: C struct -> C# class. Every pointer
# field is an array of `count` values; nested structs listed here become nested classes.
COLUMN_STRUCTS = {
    "jamstat_findings": "Findings",
    "jamstat_sex_columns": "SexColumns",
    "jamstat_measure_columns": "MeasureColumns",
}


def xml(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def ident(name):
    return "@" + name if name in CS_KEYWORDS else name


def pascal(name):
    return "".join(p[:1].upper() + p[1:].lower() for p in name.split("_") if p)


class Generator:
    def __init__(self, abi):
        self.abi = abi
        self.handles = {h: pascal(h[len("jamstat_"):]) + "Handle" for h in abi["handles"]}
        self.enums = {e: pascal(e[len("jamstat_"):]) for e in abi["enums"]}
        self.structs = abi["structs"]

    # ---------------------------------------------------------------------------- C types
    @staticmethod
    def split_type(ctype):
        """'const char *const *' -> ('char', 2)."""
        t = ctype.replace("const", " ").replace("*", " * ")
        words = t.split()
        depth = words.count("*")
        base = " ".join(w for w in words if w != "*")
        return base, depth

    def base_type(self, base, where):
        if base in PRIMITIVES:
            return PRIMITIVES[base]
        if base in self.structs:
            return base
        if base in self.enums:
            return self.enums[base]
        raise SystemExit(f"generate_interop.py: no C# mapping for C type {base!r} ({where}); extend the generator")

    def field_type(self, ctype, where):
        base, depth = self.split_type(ctype)
        if base in self.handles:
            if depth != 1:
                raise SystemExit(f"generate_interop.py: handle field {ctype!r} ({where})")
            return "IntPtr"
        return self.base_type(base, where) + "*" * depth

    def param_type(self, func, ctype, where):
        base, depth = self.split_type(ctype)
        if base in self.handles:
            if depth == 1:
                return self.handles[base]
            if depth == 2:
                # only the handle's own jamstat_X_free(&h) takes it by ref; any other
                # jamstat_X ** is an out handle (jamstat_aggregator_person_free ends in _free too)
                return "ref IntPtr" if func == base + "_free" else "out " + self.handles[base]
            raise SystemExit(f"generate_interop.py: handle parameter {ctype!r} ({where})")
        if base == "jamstat_status" and depth == 0:
            return "Status"
        if base in self.enums and depth == 0:
            return "int"  # the ABI passes enum values as plain integers
        return self.base_type(base, where) + "*" * depth

    def return_type(self, ctype, where):
        # Work around a parser slip in scripts/abi_description.py: the first function's return
        # type can carry the preprocessor text before it, ending in "JAMSTAT_API <type>".
        ctype = ctype.split("JAMSTAT_API")[-1].strip()
        base, depth = self.split_type(ctype)
        if base == "jamstat_status" and depth == 0:
            return "Status"
        if base in self.handles:
            raise SystemExit(f"generate_interop.py: handle return {ctype!r} ({where})")
        return self.base_type(base, where) + "*" * depth

    # ---------------------------------------------------------------------------- sections
    def constants(self):
        out = ["    /// <summary>Every JAMSTAT_* constant of jamstat.h with its value.</summary>",
               "    public static class Constants", "    {"]
        for name, c in self.abi["constants"].items():
            out.append(f"        /// <summary><c>#define {name} {xml(c.get('expression', json.dumps(c['value'])))}</c></summary>")
            if c["kind"] == "string":
                out.append(f"        public const string {name} = {json.dumps(c['value'])};")
                continue
            v = c["value"]
            expr = c.get("expression", "")
            if re.search(r"\d+[uU]\b", expr) and 0 <= v <= 0xFFFFFFFF:
                cs = "uint"
            elif -2**31 <= v < 2**31:
                cs = "int"
            elif -2**63 <= v < 2**63:
                cs = "long"
            else:
                cs = "ulong"
            out.append(f"        public const {cs} {name} = {v};")
        out.append("    }")
        return out

    def enum_decls(self):
        out = []
        for cname, members in self.abi["enums"].items():
            names = list(members)
            prefix = names[0]
            for n in names[1:]:
                while not n.startswith(prefix):
                    prefix = prefix[:-1]
            prefix = prefix[: prefix.rfind("_") + 1] if "_" in prefix else ""
            out.append(f"    /// <summary>The C enum <c>{cname}</c> (values frozen; new ones only appended).</summary>")
            out.append(f"    public enum {self.enums[cname]}")
            out.append("    {")
            for n, v in members.items():
                member = pascal(n[len(prefix):])
                if member[:1].isdigit():
                    member = "_" + member
                out.append(f"        /// <summary><c>{n}</c></summary>")
                out.append(f"        {member} = {v},")
            out.append("    }")
            out.append("")
        return out

    def init_value(self, ctype, value, where):
        base, depth = self.split_type(ctype)
        if value is None:
            return None if depth else "0"
        if isinstance(value, str):
            if value == "":
                return "EMPTY"  # a pointer to a static "" (see Init)
            raise SystemExit(f"generate_interop.py: string default {value!r} for {where}")
        if isinstance(value, float):
            return repr(value)
        return str(value)

    def struct_decls(self):
        out = []
        for name, s in self.structs.items():
            out.append(f"    /// <summary>The C struct <c>{name}</c>: {s['size']} bytes, alignment {s['alignment']} (offsets from the C compiler).</summary>")
            out.append(f"    [StructLayout(LayoutKind.Explicit, Size = {s['size']})]")
            out.append(f"    public unsafe struct {name}")
            out.append("    {")
            for f in s["fields"]:
                where = f"{name}.{f['name']}"
                decl = f"{f['type']} {f['name']}" + (f"[{f['array']}]" if "array" in f else "")
                out.append(f"        /// <summary><c>{xml(decl)}</c> at offset {f['offset']}</summary>")
                if "array" in f:
                    base, depth = self.split_type(f["type"])
                    cs = self.base_type(base, where)
                    if depth or cs not in ("byte", "sbyte", "ushort", "short", "uint", "int", "ulong", "long", "float", "double"):
                        raise SystemExit(f"generate_interop.py: array field {where} of {f['type']!r}")
                    out.append(f"        [FieldOffset({f['offset']})] public fixed {cs} {ident(f['name'])}[{f['array']}];")
                else:
                    out.append(f"        [FieldOffset({f['offset']})] public {self.field_type(f['type'], where)} {ident(f['name'])};")
            if "init" in s:
                out.append("")
                out.append(f"        /// <summary>The defaults of <c>{name.upper()}_INIT</c>.</summary>")
                out.append(f"        public static {name} Init()")
                out.append("        {")
                out.append(f"            var s = new {name}();")
                for f in s["fields"]:
                    v = s["init"].get(f["name"])
                    where = f"{name}.{f['name']}"
                    fname = ident(f["name"])
                    if "array" in f:
                        vals = v if isinstance(v, list) else []
                        if isinstance(v, str) and v:
                            raise SystemExit(f"generate_interop.py: string default for array {where}")
                        for i, x in enumerate(vals):
                            if x:
                                out.append(f"            s.{fname}[{i}] = {x};")
                        continue
                    base, depth = self.split_type(f["type"])
                    if base in self.structs and depth == 0:
                        if v not in (0, None):
                            raise SystemExit(f"generate_interop.py: nested default {v!r} for {where}")
                        continue
                    iv = self.init_value(f["type"], v, where)
                    if iv is None or iv == "0" or iv == "0.0":
                        continue
                    if iv == "EMPTY":
                        out.append(f"            s.{fname} = EmptyString.Pointer;")
                    else:
                        cs = self.field_type(f["type"], where)
                        if cs == "UIntPtr":
                            out.append(f"            s.{fname} = new UIntPtr({iv}UL);")
                        else:
                            out.append(f"            s.{fname} = unchecked(({cs}){iv});")
                out.append("            return s;")
                out.append("        }")
            out.append("    }")
            out.append("")
        return out

    def handle_decls(self):
        out = []
        for cname, cs in self.handles.items():
            free = f"{cname}_free"
            if not any(f["name"] == free for f in self.abi["functions"]):
                raise SystemExit(f"generate_interop.py: handle {cname} has no {free}")
            out += [
                f"    /// <summary>Owns a <c>{cname} *</c>; releasing it calls <c>{free}(&amp;h)</c>.</summary>",
                f"    public sealed class {cs} : SafeHandle",
                "    {",
                f"        /// <summary>An empty (invalid) handle, filled by the marshaller from an out parameter.</summary>",
                f"        public {cs}() : base(IntPtr.Zero, true) {{ }}",
                "        /// <summary>True when no C handle is held.</summary>",
                "        public override bool IsInvalid { get { return handle == IntPtr.Zero; } }",
                "        /// <summary>Frees the C handle (called once, by Dispose or the finalizer).</summary>",
                "        protected override bool ReleaseHandle()",
                "        {",
                "            IntPtr h = handle;",
                f"            NativeMethods.{free}(ref h);",
                "            return h == IntPtr.Zero;",
                "        }",
                "    }",
                "",
            ]
        return out

    def function_decls(self):
        out = [
            "    /// <summary>One P/Invoke declaration per C function, with C names and blittable types.</summary>",
            "    public static unsafe class NativeMethods",
            "    {",
            "        /// <summary>The shared library, by its SONAME (the ABI version is part of it).</summary>",
            f"        public const string Library = \"libjamstat.so.{self.abi['constants']['JAMSTAT_ABI_VERSION']['value']}\";",
            "",
        ]
        for f in self.abi["functions"]:
            ret = self.return_type(f["returns"], f["name"])
            params = [f"{self.param_type(f['name'], p['type'], f['name'] + '.' + p['name'])} {ident(p['name'])}"
                      for p in f["parameters"]]
            cdecl = f"{f['returns'].split('JAMSTAT_API')[-1].strip()} {f['name']}(" + \
                ", ".join(f"{p['type']} {p['name']}" for p in f["parameters"]) + ")"
            out.append(f"        /// <summary><c>{xml(cdecl)}</c> (see include/jamstat/jamstat.h)</summary>")
            out.append("        [DllImport(Library, CallingConvention = CallingConvention.Cdecl, ExactSpelling = true)]")
            out.append(f"        public static extern {ret} {f['name']}({', '.join(params)});")
        out.append("    }")
        return out

    def column_classes(self):
        out = []
        for cname, cs in COLUMN_STRUCTS.items():
            if cname not in self.structs:
                continue
            s = self.structs[cname]
            props, copies = [], []
            for f in s["fields"]:
                base, depth = self.split_type(f["type"])
                prop = pascal(f["name"])
                if depth == 0 and base in COLUMN_STRUCTS:
                    props.append(f"        /// <summary><c>{f['name']}</c></summary>")
                    props.append(f"        public {COLUMN_STRUCTS[base]} {prop} {{ get; private set; }}")
                    copies.append(f"            c.{prop} = {COLUMN_STRUCTS[base]}.Copy(ref s.{ident(f['name'])}, n);")
                elif depth == 2 and base == "char":
                    props.append(f"        /// <summary><c>{f['name']}</c> (UTF-8 decoded)</summary>")
                    props.append(f"        public string[] {prop} {{ get; private set; }}")
                    copies.append(f"            c.{prop} = ColumnCopy.Strings(s.{ident(f['name'])}, n);")
                elif depth == 1:
                    t = self.base_type(base, f"{cname}.{f['name']}")
                    props.append(f"        /// <summary><c>{f['name']}</c></summary>")
                    props.append(f"        public {t}[] {prop} {{ get; private set; }}")
                    copies.append(f"            c.{prop} = ColumnCopy.Values(s.{ident(f['name'])}, n);")
                elif depth == 0 and f["name"] in ("struct_size", "count"):
                    continue
                else:
                    raise SystemExit(f"generate_interop.py: column struct field {cname}.{f['name']} of {f['type']!r}")
            out += [
                f"    /// <summary>A managed copy of <c>{cname}</c>: every column as an array of the same length.</summary>",
                f"    public sealed partial class {cs}",
                "    {",
                *props,
                "",
                f"        internal static unsafe {cs} Copy(ref {cname} s, long n)",
                "        {",
                f"            var c = new {cs}();",
                *copies,
                "            return c;",
                "        }",
                "    }",
                "",
            ]
        return out

    def generate(self):
        lines = [
            "// <auto-generated>",
            "// Generated by bindings/dotnet/generate_interop.py from abi/jamstat-abi.json. Do not edit:",
            "// rerun `python3 bindings/dotnet/generate_interop.py abi/jamstat-abi.json bindings/dotnet/src/Interop.g.cs`.",
            "// </auto-generated>",
            "using System;",
            "using System.Runtime.InteropServices;",
            "using Jamstat.Interop;",
            "",
            "namespace Jamstat",
            "{",
            *self.enum_decls(),
            *self.column_classes(),
            "}",
            "",
            "namespace Jamstat.Interop",
            "{",
            *self.constants(),
            "",
            "    /// <summary>A NUL byte in unmanaged memory for the \"\" defaults of the _INIT macros (never freed).</summary>",
            "    public static unsafe class EmptyString",
            "    {",
            "        /// <summary>Points to a static \"\".</summary>",
            "        public static readonly byte* Pointer = Allocate();",
            "",
            "        static byte* Allocate()",
            "        {",
            "            var p = (byte*)Marshal.AllocHGlobal(1);",
            "            *p = 0;",
            "            return p;",
            "        }",
            "    }",
            "",
            *self.struct_decls(),
            *self.handle_decls(),
            *self.function_decls(),
            "}",
            "",
        ]
        return "\n".join(lines)


def main(argv):
    if len(argv) not in (3, 4) or (len(argv) == 4 and argv[3] != "--check"):
        sys.stderr.write(__doc__)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        abi = json.load(f)
    text = Generator(abi).generate()
    if len(argv) == 4:
        try:
            with open(argv[2], encoding="utf-8") as f:
                current = f.read()
        except FileNotFoundError:
            current = None
        if current != text:
            sys.stderr.write(f"{argv[2]} is out of date with {argv[1]}: rerun\n"
                             f"  python3 bindings/dotnet/generate_interop.py {argv[1]} {argv[2]}\n")
            return 1
        print(f"{argv[2]} is up to date with {argv[1]}")
        return 0
    with open(argv[2], "w", encoding="utf-8") as f:
        f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
