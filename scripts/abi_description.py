#!/usr/bin/env python3
"""The machine-readable description of jamstat's C ABI: abi/jamstat-abi.json.

Generated from include/jamstat/jamstat.h: every constant (#define JAMSTAT_*, with its value as the
compiler sees it), enum, opaque handle, struct (fields with their C types, offsets and sizes on this
platform, and the defaults of its _INIT macro) and function (return and parameter types). The
layouts and values come from a small C program compiled against the header, so they are the
compiler's, not this parser's. Bindings (bindings/python, java, dotnet) are generated from the
JSON rather than copied by hand from the header.

Usage: abi_description.py HEADER [--write OUT.json | --check OUT.json] [--cc CC]
  --check fails (exit 1) when the checked-in description differs from the header: CI runs it.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def split_fields(body):
    fields = []
    for decl in body.split(";"):
        decl = " ".join(decl.split())
        if not decl:
            continue
        m = re.match(r"^(.*?)([A-Za-z_]\w*)\s*(\[(\d+)\])?$", decl)
        if not m:
            raise SystemExit(f"cannot parse struct field: {decl!r}")
        ctype = m.group(1).strip()
        field = {"name": m.group(2), "type": ctype}
        if m.group(4):
            field["array"] = int(m.group(4))
        fields.append(field)
    return fields


def parse(header_text):
    raw = header_text
    text = strip_comments(raw)
    desc = {"constants": {}, "enums": {}, "handles": [], "structs": {}, "functions": [], "init_macros": {}}
    # Macros (from the raw text without comments; continuation lines joined).
    joined = re.sub(r"\\\n", " ", text)
    for m in re.finditer(r"^#define\s+(JAMSTAT_\w+)(?:\s+(.*))?$", joined, flags=re.M):
        name, value = m.group(1), (m.group(2) or "").strip()
        if name in ("JAMSTAT_H", "JAMSTAT_API") or not value:
            continue
        if name.endswith("_INIT"):
            desc["init_macros"][name] = value
        elif value.startswith('"'):
            desc["constants"][name] = {"kind": "string", "value": json.loads(value)}
        elif name.startswith("JAMSTAT_FIELD_END"):
            continue
        else:
            desc["constants"][name] = {"kind": "integer", "expression": value}
    for m in re.finditer(r"typedef\s+enum\s+(\w+)\s*\{(.*?)\}\s*(\w+)\s*;", text, flags=re.S):
        desc["enums"][m.group(3)] = [e.split("=")[0].strip() for e in m.group(2).split(",") if e.strip()]
    for m in re.finditer(r"typedef\s+struct\s+(\w+)\s+(\w+)\s*;", text):
        desc["handles"].append(m.group(2))
    for m in re.finditer(r"typedef\s+struct\s+(\w+)\s*\{(.*?)\}\s*(\w+)\s*;", text, flags=re.S):
        desc["structs"][m.group(3)] = {"fields": split_fields(m.group(2))}
    for m in re.finditer(r"JAMSTAT_API\s+(.*?)\s*(\b\w+)\s*\(([^)]*)\)\s*;", text, flags=re.S):
        ret = " ".join(m.group(1).split())
        params = []
        plist = " ".join(m.group(3).split())
        if plist and plist != "void":
            for p in plist.split(","):
                p = p.strip()
                pm = re.match(r"^(.*?)(\b[A-Za-z_]\w*)$", p)
                params.append({"name": pm.group(2), "type": pm.group(1).strip()})
        desc["functions"].append({"name": m.group(2), "returns": ret, "parameters": params})
    return desc


def probe(desc, header, cc):
    """Compiles a C program that prints every integer constant, enumerator value, struct size and
    field offset as the compiler sees them."""
    lines = ["#include <stddef.h>", "#include <stdio.h>", "#include <jamstat/jamstat.h>", "int main(void) {"]
    for name, c in desc["constants"].items():
        if c["kind"] == "integer":
            lines.append(f'  printf("constant {name} %lld\\n", (long long)({name}));')
    for enum, names in desc["enums"].items():
        for n in names:
            lines.append(f'  printf("enumerator {n} %lld\\n", (long long)({n}));')
    for s, info in desc["structs"].items():
        lines.append(f'  printf("sizeof {s} %zu\\n", sizeof({s}));')
        lines.append(f'  printf("alignof {s} %zu\\n", _Alignof({s}));')
        for f in info["fields"]:
            lines.append(f'  printf("field {s} {f["name"]} %zu %zu\\n", offsetof({s}, {f["name"]}), sizeof((({s} *)0)->{f["name"]}));')
    for name in desc["init_macros"]:
        struct = name[: -len("_INIT")].lower()
        if struct not in desc["structs"]:
            continue
        lines.append(f"  {{ {struct} v = {name}; const unsigned char *p = (const unsigned char *)&v; size_t i;")
        lines.append(f'    printf("init {struct} "); for (i = 0; i < sizeof v; ++i) printf("%02x", p[i]); printf("\\n"); }}')
    lines.append("  return 0;\n}")
    with tempfile.TemporaryDirectory() as work:
        src, exe = os.path.join(work, "probe.c"), os.path.join(work, "probe")
        with open(src, "w") as f:
            f.write("\n".join(lines))
        include = os.path.dirname(os.path.dirname(os.path.abspath(header)))
        subprocess.run([cc, "-std=c11", "-Wall", "-Werror", "-I", include, src, "-o", exe], check=True)
        out = subprocess.run([exe], check=True, capture_output=True, text=True).stdout
    enum_values = {}
    for line in out.splitlines():
        parts = line.split()
        if parts[0] == "constant":
            desc["constants"][parts[1]]["value"] = int(parts[2])
        elif parts[0] == "enumerator":
            enum_values[parts[1]] = int(parts[2])
        elif parts[0] == "sizeof":
            desc["structs"][parts[1]]["size"] = int(parts[2])
        elif parts[0] == "alignof":
            desc["structs"][parts[1]]["alignment"] = int(parts[2])
        elif parts[0] == "field":
            for f in desc["structs"][parts[1]]["fields"]:
                if f["name"] == parts[2]:
                    f["offset"], f["size"] = int(parts[3]), int(parts[4])
        elif parts[0] == "init":
            raw = bytes.fromhex(parts[2])
            defaults = {}
            for f in desc["structs"][parts[1]]["fields"]:
                chunk = raw[f["offset"] : f["offset"] + f["size"]]
                if "*" in f["type"]:
                    defaults[f["name"]] = None if int.from_bytes(chunk, "little") == 0 else "non-null"
                elif f["type"] == "double":
                    import struct as st
                    defaults[f["name"]] = st.unpack("<d", chunk)[0]
                elif "array" in f:
                    defaults[f["name"]] = list(chunk) if f["type"] != "char" else ""
                else:
                    signed = f["type"].startswith("int")
                    defaults[f["name"]] = int.from_bytes(chunk, "little", signed=signed)
            desc["structs"][parts[1]]["init"] = defaults
    desc["enums"] = {e: {n: enum_values[n] for n in names} for e, names in desc["enums"].items()}
    # String-valued pointer defaults of _INIT macros ("" for labels) are recorded from the macro text.
    for name, text in desc["init_macros"].items():
        struct = name[: -len("_INIT")].lower()
        if struct in desc["structs"] and "init" in desc["structs"][struct]:
            values = [v.strip() for v in re.split(r",(?![^{]*\})", text.strip()[1:-1])]
            for f, v in zip(desc["structs"][struct]["fields"], values):
                if "*" in f["type"] and v.startswith('"'):
                    desc["structs"][struct]["init"][f["name"]] = json.loads(v)
    return desc


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("header")
    ap.add_argument("--write")
    ap.add_argument("--check")
    ap.add_argument("--cc", default=os.environ.get("CC", "cc"))
    args = ap.parse_args()
    with open(args.header) as f:
        desc = probe(parse(f.read()), args.header, args.cc)
    del desc["init_macros"]
    desc = {"description": "jamstat C ABI, generated from include/jamstat/jamstat.h by scripts/abi_description.py; "
                           "layouts are those of x86-64 Linux (LP64)", **desc}
    text = json.dumps(desc, indent=1, ensure_ascii=False) + "\n"
    if args.write:
        with open(args.write, "w") as f:
            f.write(text)
        print(f"abi description: wrote {args.write}")
    elif args.check:
        with open(args.check) as f:
            if f.read() != text:
                print(f"abi description: {args.check} differs from {args.header}; regenerate it with "
                      f"scripts/abi_description.py {args.header} --write {args.check}")
                sys.exit(1)
        print("abi description: up to date")
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
