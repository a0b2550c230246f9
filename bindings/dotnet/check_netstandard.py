#!/usr/bin/env python3
"""Checks that Jamstat.dll uses nothing beyond .NET Standard 2.0, so that it runs unchanged on
.NET (Core) 2.0 to 8 as well as on Mono and .NET Framework 4.6.1+.

Mono's C# compiler (mcs) cannot compile against a .NET Standard reference assembly that
defines types (Debian ships only the type-forwarding facade netstandard.dll), so the library
is compiled against Mono's mscorlib and this test checks, on the disassembled library (ikdasm):
  - every framework type it references is one that the .NET Standard 2.0 facade forwards
    (/usr/lib/mono/4.7.2-api/Facades/netstandard.dll: the netstandard 2.0 type set);
  - every framework member it references (method or field, with its IL signature) is listed in
    netstandard2.0-members.txt, whose entries were each checked against the .NET Standard 2.0
    API listing (dotnet/standard, docs/versions/netstandard2.0_ref.md). A new member used by
    the library fails this test until it is checked and added there.

Usage: check_netstandard.py IKDASM JAMSTAT_DLL NETSTANDARD_FACADE MEMBERS_TXT
"""
import re
import subprocess
import sys

FRAMEWORK = r"(?:mscorlib|netstandard|System(?:\.[\w]+)*)"
TYPE_REF = re.compile(r"\[(" + FRAMEWORK + r")\]([A-Za-z_][\w.`]*(?:/[\w`]+)*)")
MEMBER_NAME = re.compile(r"::('?[\w.`]+'?(?:<[^>(]*>)?)(\([^)]*\))?")
TYPE_BEFORE = re.compile(r"\[(" + FRAMEWORK + r")\]([A-Za-z_][\w.`]*(?:/[\w`]+)*)$")


def member_refs(code):
    """Yields 'Declaring.Type::Member(signature)' of every framework member reference: the
    declaring type is found by walking back from '::' over a generic instantiation <...>."""
    for m in MEMBER_NAME.finditer(code):
        end = m.start()
        if end > 0 and code[end - 1] == ">":
            depth = 0
            while end > 0:
                end -= 1
                if code[end] == ">":
                    depth += 1
                elif code[end] == "<":
                    depth -= 1
                    if depth == 0:
                        break
        t = TYPE_BEFORE.search(code, max(0, end - 300), end)
        if t:
            yield f"{t.group(2)}::{m.group(1)}{m.group(2) or ''}"


def disassemble(ikdasm, path):
    return subprocess.run([ikdasm, path], check=True, capture_output=True, text=True).stdout


def facade_types(il):
    types = set()
    outer = None
    for line in il.splitlines():
        m = re.match(r"\s*\.class extern forwarder ([\w.`]+)", line)
        if m:
            types.add(m.group(1))
            continue
        m = re.match(r"\s*\.class extern ([\w.`]+)\s*$", line)
        if m:
            outer = m.group(1)
    return types


def main(argv):
    if len(argv) != 5:
        sys.stderr.write(__doc__)
        return 2
    ikdasm, dll, facade, members_txt = argv[1:]
    allowed_types = facade_types(disassemble(ikdasm, facade))
    if len(allowed_types) < 2000:
        print(f"check_netstandard: only {len(allowed_types)} types forwarded by {facade}: not the netstandard 2.0 facade?")
        return 1
    with open(members_txt, encoding="utf-8") as f:
        allowed_members = {l.strip() for l in f if l.strip() and not l.startswith("#")}
    il = disassemble(ikdasm, dll)
    code = " ".join(l.split("//")[0] if not l.lstrip().startswith(".custom") else l for l in il.splitlines())
    code = re.sub(r"\s+", " ", code)
    code = re.sub(r"\s*,\s*", ", ", code)
    problems = []
    used_types = set()
    for m in TYPE_REF.finditer(code):
        t = m.group(2).split("/")[0]
        used_types.add(t)
        if t not in allowed_types:
            problems.append(f"type {t} (from [{m.group(1)}]) is not in .NET Standard 2.0")
    used_members = set()
    for key in member_refs(code):
        used_members.add(key)
    for key in sorted(used_members - allowed_members):
        problems.append(f"member {key} is not in netstandard2.0-members.txt: check it against .NET Standard 2.0, then add it")
    for p in sorted(set(problems)):
        print("check_netstandard: " + p)
    print(f"check_netstandard: {len(used_types)} framework types and {len(used_members)} members used; "
          f"{len(set(problems))} problems")
    unused = sorted(allowed_members - used_members)
    if unused:
        print("check_netstandard: listed but no longer used (may be removed): " + ", ".join(unused))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
