#!/usr/bin/env python3
"""Writes the committed seed corpora, fuzz/corpus/<target>/seed-*, from the repository's test data:
core/tests/data (tokens, known-answer vectors), the unit tests' inputs (secret, rows, glob), the
CSV inputs of tests/suite/batch.rs and the argument lists of tests/suite/*.rs. Deterministic:
rerun it after changing those tests and commit what changes. Only the seeds are committed; what
the fuzzer adds to the same folders is ignored by git."""

import glob
import hashlib
import json
import os
import re
import struct

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

ISSUER = "Y2lzY29zcGFyazovL3VzL09SR0FOSVpBVElPTi9mYWtlLW9yZy0wMDAx"
SECRET = "ZmFrZS1ndWVzdC1pc3N1ZXItc2VjcmV0LWZvci10ZXN0cw=="
NOW = 1_795_836_800
GUEST = open(os.path.join(ROOT, "core/tests/data/tokens/guest-steve.jwt")).read().strip()
ACCESS = open(os.path.join(ROOT, "tests/data/access-token.jwt")).read().strip()
# What the suites' identifiers stand for in an argument list.
NAMES = {
    "ISSUER": ISSUER,
    "SECRET": SECRET,
    "EXP": "1795842200",
    "GUEST_TOKEN": GUEST,
}


def read(path):
    with open(os.path.join(ROOT, path), encoding="utf-8") as f:
        return f.read()


def write(target, items):
    folder = os.path.join(HERE, "corpus", target)
    os.makedirs(folder, exist_ok=True)
    for old in glob.glob(os.path.join(folder, "seed-*")):
        os.remove(old)
    seen = set()
    for data in items:
        if isinstance(data, str):
            data = data.encode("utf-8")
        digest = hashlib.sha1(data).hexdigest()[:16]
        if digest in seen:
            continue
        seen.add(digest)
        with open(os.path.join(folder, f"seed-{digest}"), "wb") as f:
            f.write(data)
    print(f"{target}: {len(seen)} seeds")


LITERAL = re.compile(
    r'(?P<raw>r(?P<hashes>#*)"(?P<rawbody>.*?)"(?P=hashes))'
    r'|(?P<bytes>b?)"(?P<body>(?:[^"\\]|\\.)*)"',
    re.S,
)


def unescape(body, as_bytes):
    out = bytearray()
    i = 0
    while i < len(body):
        c = body[i]
        if c != "\\":
            out += c.encode("utf-8")
            i += 1
            continue
        n = body[i + 1]
        i += 2
        if n == "x":
            out.append(int(body[i : i + 2], 16))
            i += 2
        elif n == "u":
            end = body.index("}", i)
            out += chr(int(body[i + 1 : end], 16)).encode("utf-8")
            i = end + 1
        elif n == "\n":  # line continuation
            while i < len(body) and body[i] in " \t\n":
                i += 1
        else:
            out += {"n": b"\n", "r": b"\r", "t": b"\t", "0": b"\0", "\\": b"\\", '"': b'"', "'": b"'"}[n]
    return bytes(out)


def literals(text):
    """Every string literal of a Rust source, as bytes."""
    for m in LITERAL.finditer(text):
        if m.group("raw"):
            yield m.group("rawbody").encode("utf-8")
        else:
            yield unescape(m.group("body"), m.group("bytes") == "b")


def arg_lists(text):
    """Every `&[...]` of string literals and known identifiers whose first item is a word."""
    for m in re.finditer(r"&\[", text):
        depth, i = 1, m.end()
        while depth and i < len(text):
            depth += {"[": 1, "]": -1}.get(text[i], 0)
            i += 1
        inner = text[m.end() : i - 1]
        items, ok = [], True
        for part in split_items(inner):
            part = part.strip()
            if not part:
                continue
            lit = LITERAL.fullmatch(part)
            if lit:
                items.append(next(literals(part)).decode("utf-8"))
            elif part in NAMES:
                items.append(NAMES[part])
            elif re.fullmatch(r"&(guest|token|guest_token)", part):
                items.append(GUEST)
            elif part == "&access":
                items.append(ACCESS)
            else:
                ok = False
                break
        if ok and items and not items[0].startswith("(") and all("\n" not in a or a == items[-1] for a in items):
            yield items


def split_items(inner):
    out, depth, cur, in_str, i = [], 0, "", False, 0
    while i < len(inner):
        c = inner[i]
        if in_str:
            cur += c
            if c == "\\":
                cur += inner[i + 1]
                i += 1
            elif c == '"':
                in_str = False
        elif c == '"':
            in_str, cur = True, cur + c
        elif c in "([{":
            depth, cur = depth + 1, cur + c
        elif c in ")]}":
            depth, cur = depth - 1, cur + c
        elif c == "," and depth == 0:
            out.append(cur)
            cur = ""
        else:
            cur += c
        i += 1
    out.append(cur)
    return out


def jwt():
    items = []
    for path in sorted(glob.glob(os.path.join(ROOT, "core/tests/data/tokens/*.jwt"))):
        token = open(path, "rb").read()
        items += [token, token + b"\0" + struct.pack("<Q", NOW)]
    vectors = json.loads(read("core/tests/data/sparkguest-vectors.json"))["vectors"]
    for v in vectors:
        items.append(v["token"].encode() + b"\0" + struct.pack("<Q", v["exp"] - 1))
        claims = "\n".join([v["sub"], v["name"], v["iss"]]).encode("utf-8")
        items.append(claims + b"\0" + struct.pack("<Q", v["exp"]))
    items.append(ACCESS)
    write("jwt", items)


def secret():
    vectors = json.loads(read("core/tests/data/sparkguest-vectors.json"))["vectors"]
    items = [v["secret"] for v in vectors] + [SECRET]
    # The unit tests' inputs (core/src/secret.rs).
    source = read("core/src/secret.rs")
    items += [s for s in literals(source.split("mod tests", 1)[1]) if len(s) < 40]
    write("secret", items)


def csv_rows():
    csvs = []
    for path in ["tests/suite/batch.rs", "cli/rows.rs"]:
        source = read(path)
        if path.endswith("rows.rs"):
            source = source.split("mod tests", 1)[1]
        csvs += [s for s in literals(source) if (b"," in s or b"\n" in s) and len(s) < 4096]
    items = []
    for csv in csvs:
        for capacity in [0, 2, 7]:
            items.append(bytes([capacity, 0]) + csv)
    items.append(bytes([3, 0xFF]) + b'1,"' + b"y" * 64)  # inflated past MAX_ROW
    write("csv_rows", items)


def debug_glob():
    source = read("cli/log.rs").split("mod tests", 1)[1]
    items = []
    for m in re.finditer(r'\("([^"]*)", "([^"]*)", (?:true|false)\)', source):
        items.append(f"{m.group(1)}\n{m.group(2)}")
    items += ["guest*\nguest:login", "-guest:http\nguest:http", "g*t:*n\nguest:login"]
    write("debug_glob", items)


def args():
    items = []
    for path in sorted(glob.glob(os.path.join(ROOT, "tests/suite/*.rs"))) + [os.path.join(ROOT, "cli/app.rs")]:
        source = open(path, encoding="utf-8").read()
        for words in arg_lists(source):
            items.append("\0".join(words).encode("utf-8"))
            # The same without -s SECRET: the secret then comes from the environment, and the
            # check that it is never shown applies.
            dropped, skip = [], False
            for w in words:
                if skip:
                    skip = False
                elif w == "-s":
                    skip = True
                else:
                    dropped.append(w)
            items.append("\0".join(dropped).encode("utf-8"))
    # Stdin for the commands that read it.
    items.append(b"create\0--batch\0-\0--expires-at\x001795842200\xff1,Ann\r\n2,Bob\r\n")
    items.append(b"create\0--batch\0-\0--skip-invalid\xffuser_id,user_name\n1,Ann\n2\n\"\",x\n4,B\xffb\n5,Eve\n")
    items.append(b"create\0--batch\0-\xff1,Ann\n2,\"open\n")
    items.append(b"verify\0-\xff" + GUEST.encode())
    items.append(b"verify\0-\0--json\xff" + GUEST.encode())
    items.append(b"")
    write("args", items)


if __name__ == "__main__":
    jwt()
    secret()
    csv_rows()
    debug_glob()
    args()
