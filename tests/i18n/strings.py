#!/usr/bin/env python3
"""strings.py - find the messages people read that do not go through gettext.

Scans C sources for calls of the printf family and the project's message helpers whose
format (or message) argument is a string literal with words in it, and reports each one not
wrapped in _() (or N_() in a table). A literal that is not for people is left alone: one with
no word of two letters or more outside its conversion specifiers (a number format), one
without a space (a file name, a path, an endpoint), one on a line that says
`/* not translated: REASON */`, or any in a file whose opening comment says
`Messages: not translated (REASON).` (the gateway's API answers, for instance, are English by
contract).

usage: strings.py [--fix] FILE...   exit 1 if any message escapes translation (0 with --fix,
which wraps them)."""
import re
import sys

# call name -> index of the argument that is the message
CALLS = {"printf": 0, "fprintf": 1, "snprintf": 2, "log_msg": 1, "fputs": 0, "puts": 0,
         "vfprintf": 1, "fail": 1, "perror": 0,
         # the project's own message helpers: the argument that is a message or a label
         "found": 2, "describe_checkpoint": 0, "tool_print_key": 0, "report": 0,
         "peer_misbehaved": 2, "load": 2}
WORD = re.compile(r"[A-Za-z]{2,}")
SPEC = re.compile(r"%[-+ #0]*[0-9*]*(?:\.[0-9*]+)?(?:hh|h|ll|l|j|z|t|L)?[diouxXeEfgGcspn%]")


def literal_span(s, i):
    """From s[i] (at a quote, after spaces), the end of the run of adjacent literals, or -1."""
    j = i
    end = -1
    while True:
        while j < len(s) and s[j] in " \t\n":
            j += 1
        if j >= len(s) or s[j] != '"':
            return end
        j += 1
        while s[j] != '"':
            j += 2 if s[j] == "\\" else 1
        j += 1
        end = j


def args_of(s, open_paren):
    """Start offsets of each argument of the call whose '(' is at open_paren, and its end."""
    depth, i, starts = 0, open_paren + 1, [open_paren + 1]
    while i < len(s):
        c = s[i]
        if c == '"':
            i += 1
            while s[i] != '"':
                i += 2 if s[i] == "\\" else 1
        elif c == "'":
            i += 1
            while s[i] != "'":
                i += 2 if s[i] == "\\" else 1
        elif c in "([{":
            depth += 1
        elif c in ")]}":
            if depth == 0:
                return starts, i
            depth -= 1
        elif c == "," and depth == 0:
            starts.append(i + 1)
        i += 1
    return starts, i


def words(text):
    """Whether a literal is a message: it has a word, and a space (a literal without one is a
    name: a file, a path, an endpoint, an identifier)."""
    plain = SPEC.sub("", re.sub(r"\\.", " ", text))
    return WORD.search(plain) is not None and " " in plain.strip('" ')


def scan(path, fix):
    s = open(path, encoding="utf-8").read()
    found, edits = [], []
    opening = s[:s.find("*/") + 2] if s.startswith("/*") else ""
    if re.search(r"Messages:\s+not\s+translated\s+\(", opening):
        return found
    for m in re.finditer(r"\b(" + "|".join(CALLS) + r")\s*\(", s):
        line_start = s.rfind("\n", 0, m.start()) + 1
        line_end = s.find("\n", m.start())
        if s[line_start:m.start()].lstrip().startswith(("#", "//", "*", "/*")):
            continue
        starts, _ = args_of(s, m.end() - 1)
        k = CALLS[m.group(1)]
        if k >= len(starts):
            continue
        a = starts[k]
        while s[a] in " \t\n":
            a += 1
        if s[a] != '"':
            continue
        end = literal_span(s, a)
        text = s[a:end]
        after = s[end:end + 1]
        if not words(text):
            continue
        # a literal followed by a macro (not a , or )) is not one message: report it as is
        stmt_end = s.find(";", end)
        if "not translated:" in s[line_start:max(line_end, stmt_end + 40)]:
            continue
        line = s.count("\n", 0, a) + 1
        found.append((line, text.split("\n")[0][:70]))
        edits.append((a, end))
    if fix and edits:
        for a, end in reversed(edits):
            s = s[:a] + "_(" + s[a:end] + ")" + s[end:]
        open(path, "w", encoding="utf-8").write(s)
    return found


def main():
    fix = "--fix" in sys.argv
    files = [f for f in sys.argv[1:] if f != "--fix"]
    total = 0
    for f in files:
        for line, text in scan(f, fix):
            total += 1
            if not fix:
                print(f"{f}:{line}: not translated: {text}")
    print(f"{total} message(s) {'wrapped' if fix else 'outside gettext'}")
    return 0 if fix or total == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
