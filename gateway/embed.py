#!/usr/bin/env python3
"""embed.py IN OUT NAME - a file as a C array NAME (and NAME_len), so a program carries it."""
import sys

data = open(sys.argv[1], "rb").read()
name = sys.argv[3]
with open(sys.argv[2], "w") as out:
    out.write("#include <stddef.h>\n")
    out.write(f"const char {name}[] = {{\n")
    for i in range(0, len(data), 16):
        out.write(",".join(str(b) for b in data[i:i + 16]) + ",\n")
    out.write("0};\n")
    out.write(f"const size_t {name}_len = {len(data)};\n")
