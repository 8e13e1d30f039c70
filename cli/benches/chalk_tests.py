#!/usr/bin/env python3
"""Writes each test of chalk's own test suite as a `.chalk` file of its own.

The parallel runs of `chalkboard run DIR` are measured on chalk's test suite
(docs/performance.md): every `test! { .. }`, `lowering_success! { .. }` and
`lowering_error! { .. }` block of chalk's `tests/test/*.rs` is a program that
chalkboard reads unchanged, and each becomes `OUT/<test file>/<n>.chalk`.

    python3 cli/benches/chalk_tests.py CHALK/tests/test OUT

The blocks are found by matching braces, stepping over comments and string
literals (raw ones included), since an expected answer may hold a brace.
"""

import os
import re
import sys

BLOCK = re.compile(r"\b(test|lowering_success|lowering_error)!\s*\{")
RAW_STRING = re.compile(r'r(#*)"')


def block_end(text, open_brace):
    """The index of the brace that closes the one at `open_brace`."""
    depth = 0
    at = open_brace
    while at < len(text):
        if text.startswith("//", at):
            newline = text.find("\n", at)
            at = len(text) if newline < 0 else newline
            continue
        raw = RAW_STRING.match(text, at)
        if raw and not text[at - 1].isalnum():
            hashes = raw.group(1)
            at = text.find('"' + hashes, raw.end()) + 1 + len(hashes)
            continue
        if text[at] == '"':
            at += 1
            while text[at] != '"':
                at += 2 if text[at] == "\\" else 1
            at += 1
            continue
        if text[at] == "{":
            depth += 1
        elif text[at] == "}":
            depth -= 1
            if depth == 0:
                return at
        at += 1
    raise ValueError("an unclosed block")


def main(source_dir, out_dir):
    written = 0
    for name in sorted(os.listdir(source_dir)):
        if not name.endswith(".rs"):
            continue
        with open(os.path.join(source_dir, name)) as f:
            text = f.read()
        at = 0
        number = 0
        while (found := BLOCK.search(text, at)) is not None:
            end = block_end(text, found.end() - 1)
            number += 1
            directory = os.path.join(out_dir, name[: -len(".rs")])
            os.makedirs(directory, exist_ok=True)
            with open(os.path.join(directory, f"{number:03}.chalk"), "w") as f:
                f.write(text[found.start() : end + 1] + "\n")
            written += 1
            at = end + 1
    print(f"{written} programs written to {out_dir}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
