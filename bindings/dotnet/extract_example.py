#!/usr/bin/env python3
"""Writes the first ```csharp block of the .NET binding's README to a file, so that the test
dotnet.readme_example compiles and runs the example exactly as the README shows it.

Usage: extract_example.py README.md OUT.cs
"""
import re
import sys


def main(argv):
    if len(argv) != 3:
        sys.stderr.write(__doc__)
        return 2
    with open(argv[1], encoding="utf-8") as f:
        text = f.read()
    m = re.search(r"^```csharp\n(.*?)^```", text, flags=re.S | re.M)
    if not m:
        sys.stderr.write(f"extract_example.py: no ```csharp block in {argv[1]}\n")
        return 1
    with open(argv[2], "w", encoding="utf-8") as f:
        f.write(m.group(1))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
