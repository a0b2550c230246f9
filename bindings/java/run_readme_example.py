#!/usr/bin/env python3
"""Runs the Java example of bindings/java/README.md exactly as written (a ctest, java.readme_example).

Usage: run_readme_example.py README WORK_DIR JAVAC JAVA CLASSPATH LIBRARY

Takes the first ```java block that declares `public class Example`, compiles it against the
binding's jar, runs it with the library under test, and compares its standard output with the
```text block that follows it in the README. Python 3 standard library only.
"""
import os
import re
import subprocess
import sys


def main():
    readme, work, javac, java, classpath, library = sys.argv[1:7]
    text = open(readme, encoding="utf-8").read()
    blocks = list(re.finditer(r"^```(\w+)\n(.*?)^```$", text, re.S | re.M))
    example = next((i for i, b in enumerate(blocks) if b.group(1) == "java" and "public class Example" in b.group(2)), None)
    if example is None:
        sys.exit("no ```java block with `public class Example` in " + readme)
    expected = next((b.group(2) for b in blocks[example + 1:] if b.group(1) == "text"), None)
    if expected is None:
        sys.exit("no ```text block with the expected output after the example in " + readme)
    os.makedirs(work, exist_ok=True)
    source = os.path.join(work, "Example.java")
    with open(source, "w", encoding="utf-8") as f:
        f.write(blocks[example].group(2))
    subprocess.run([javac, "-encoding", "UTF-8", "-Xlint:all", "-Werror", "-cp", classpath, "-d", work, source], check=True)
    env = dict(os.environ, LANG="C.UTF-8", LC_ALL="C.UTF-8")
    run = subprocess.run([java, "-Dfile.encoding=UTF-8", "-Dstdout.encoding=UTF-8", "-Djamstat.library=" + library,
                          "-cp", classpath + os.pathsep + work, "Example"],
                         capture_output=True, env=env, timeout=120)
    out = run.stdout.decode("utf-8")
    if run.returncode != 0:
        sys.stderr.write(run.stderr.decode("utf-8", "replace"))
        sys.exit(f"the example exited with {run.returncode}")
    if out != expected:
        sys.stderr.write("expected:\n" + expected + "\ngot:\n" + out)
        sys.exit("the example's output differs from the README's")
    print(out, end="")
    print("the README example ran as written")


if __name__ == "__main__":
    main()
