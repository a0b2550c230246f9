#!/usr/bin/env python3
"""The UTF-8 of Windows-1252 bytes 0x80..0xFF per Python's cp1252 codec, with the five bytes
Python leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) mapped to the C1 control of the same
value as the WHATWG Encoding Standard does. Output: one hex string, pasted into
tests/io_input/csv_reader_test.cpp. Run: python3 tests/reference/io_input/windows_1252.py"""
out = b""
for b in range(0x80, 0x100):
    try:
        ch = bytes([b]).decode("cp1252")
    except UnicodeDecodeError:
        ch = chr(b)
    out += ch.encode("utf-8")
print(out.hex())
