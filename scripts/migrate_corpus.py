#!/usr/bin/env python3
"""Check a `kestra-lint migrate --unsafe-fixes` run over a copy of a flows folder.

Usage: migrate_corpus.py BEFORE_DIR AFTER_DIR FIRST_JSON SECOND_JSON

BEFORE_DIR is the untouched copy, AFTER_DIR the migrated one; FIRST_JSON is the JSON report
of the migration (run from AFTER_DIR), SECOND_JSON the report of a second run over AFTER_DIR.
With PyYAML (an independent YAML library) it checks, per file:

- a file the report does not list as changed is byte for byte the same;
- a changed file still parses, and its data equals the original's outside the targets the
  applied fixes declared (the JSON pointers of `fixes[].targets`);
- every comment of the original is still in the file, unless it sat inside a target that
  the migration removed (the path no longer exists);
- the second run changes nothing.

It prints files changed, fixes per code and per kind, what still blocks by code, and every
violation; it exits 1 on any violation.
"""

import collections
import json
import os
import re
import sys

import yaml

MASKED = object()


def load(text):
    """The data, or raises yaml.YAMLError."""
    return yaml.load(text, Loader=yaml.SafeLoader)


def compose(text):
    return yaml.compose(text, Loader=yaml.SafeLoader)


def segments(pointer):
    if pointer == "":
        return []
    return [s.replace("~1", "/").replace("~0", "~") for s in pointer.split("/")[1:]]


def key_matches(key, segment):
    if isinstance(key, bool):
        return segment in ("true", "false") and str(key).lower() == segment
    return str(key) == segment


def mask(data, pointer):
    """Remove the entry (or blank the item) at pointer; the root becomes MASKED."""
    segs = segments(pointer)
    if not segs:
        return MASKED
    node = data
    for seg in segs[:-1]:
        node = child(node, seg)
        if node is None:
            return data
    last = segs[-1]
    if isinstance(node, dict):
        for k in list(node):
            if key_matches(k, last):
                del node[k]
    elif isinstance(node, list) and last.isdigit() and int(last) < len(node):
        node[int(last)] = MASKED
    return data


def child(node, seg):
    if isinstance(node, dict):
        for k, v in node.items():
            if key_matches(k, seg):
                return v
        return None
    if isinstance(node, list) and seg.isdigit() and int(seg) < len(node):
        return node[int(seg)]
    return None


def exists(data, pointer):
    node = data
    for seg in segments(pointer):
        if isinstance(node, dict):
            keys = [k for k in node if key_matches(k, seg)]
            if not keys:
                return False
            node = node[keys[0]]
        elif isinstance(node, list) and seg.isdigit() and int(seg) < len(node):
            node = node[int(seg)]
        else:
            return False
    return True


def resolve(data, pointer):
    node = data
    for seg in segments(pointer):
        node = child(node, seg)
    return node


def removed_from(old, new, pointer):
    """The target lost data: its path is gone, or it is a list that got shorter."""
    if not exists(new, pointer):
        return exists(old, pointer)
    a, b = resolve(old, pointer), resolve(new, pointer)
    return isinstance(a, list) and isinstance(b, list) and len(b) < len(a)


def first_difference(a, b, at=""):
    if isinstance(a, dict) and isinstance(b, dict):
        for k in a:
            if k not in b:
                return f"{at}/{k}"
            d = first_difference(a[k], b[k], f"{at}/{k}")
            if d is not None:
                return d
        for k in b:
            if k not in a:
                return f"{at}/{k}"
        return None
    if isinstance(a, list) and isinstance(b, list):
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_difference(x, y, f"{at}/{i}")
            if d is not None:
                return d
        return None if len(a) == len(b) else f"{at}/{min(len(a), len(b))}"
    if a is MASKED or b is MASKED:
        return None if a is b else (at or "/")
    return None if a == b and type(a) is type(b) else (at or "/")


def node_lines(root, pointer):
    """0-based first and last line of the entry at pointer in a composed tree, or None."""
    node, key = root, None
    for seg in segments(pointer):
        if isinstance(node, yaml.MappingNode):
            found = None
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode) and k.value == seg:
                    found = (k, v)
            if found is None:
                return None
            key, node = found
        elif isinstance(node, yaml.SequenceNode) and seg.isdigit() and int(seg) < len(node.value):
            key, node = None, node.value[int(seg)]
        else:
            return None
    start = (key or node).start_mark.line
    end = node.end_mark.line
    if node.end_mark.column == 0 and end > start:
        end -= 1  # a block collection ends at the start of the next line
    return start, end


COMMENT = re.compile(r"(?:^|\s)(#.*)$")


def comments(text):
    """(line, comment text) of every comment-like part of a line."""
    out = []
    for i, line in enumerate(text.splitlines()):
        stripped = line.strip()
        if stripped.startswith("#"):
            out.append((i, stripped))
        else:
            m = COMMENT.search(line)
            if m and " #" in line:
                out.append((i, line[line.index(" #") + 1:].strip()))
    return out


def check_file(path, before, after, fixes, violations, stats):
    targets = sorted({t for f in fixes for t in f["targets"]})
    try:
        old = load(before)
    except yaml.YAMLError:
        stats["not parsed by PyYAML before (data not compared)"] += 1
        return
    try:
        new = load(after)
    except yaml.YAMLError as e:
        violations.append(f"{path}: does not parse after the migration: {str(e).splitlines()[0]}")
        return
    removed = [t for t in targets if removed_from(old, new, t)]
    a, b = old, new
    for t in targets:
        a = mask(a, t)
        b = mask(b, t)
    diff = first_difference(a, b)
    if diff is not None:
        violations.append(
            f"{path}: data changed at {diff}, outside the targets {targets or '(none)'}"
        )
    # Comments: each one survives unless it sat in an entry the migration removed.
    allowed = []
    if removed:
        tree = compose(before)
        lines = before.splitlines()
        for t in removed:
            span = node_lines(tree, t) if tree is not None else None
            if span is None:
                continue
            start, end = span
            while start > 0 and lines[start - 1].strip().startswith("#"):
                start -= 1  # its own comment lines above it
            while end + 1 < len(lines) and lines[end + 1].strip().startswith("#") and (
                len(lines[end + 1]) - len(lines[end + 1].lstrip())
            ) > (len(lines[span[0]]) - len(lines[span[0]].lstrip())):
                end += 1  # and the deeper ones after it
            allowed.append((start, end))
    have = collections.Counter(c for _, c in comments(after))
    need = collections.Counter()
    loose = collections.Counter()
    for line, c in comments(before):
        if any(s <= line <= e for s, e in allowed):
            loose[c] += 1
        else:
            need[c] += 1
    for c, n in need.items():
        if have[c] < n:
            violations.append(f"{path}: lost the comment {c!r}")
    stats["comments kept"] += sum(min(have[c], n) for c, n in need.items())
    stats["comments removed with their entry"] += sum(
        max(0, n - max(0, have[c] - need[c])) for c, n in loose.items()
    )


def main(argv):
    before_dir, after_dir, first_json, second_json = argv[1:5]
    first = json.load(open(first_json, encoding="utf-8"))
    second = json.load(open(second_json, encoding="utf-8"))
    listed = {}
    for f in first["files"]:
        listed[os.path.normpath(f["path"])] = f
    violations = []
    stats = collections.Counter()
    kinds = collections.Counter()
    for dirpath, _, names in os.walk(before_dir):
        for name in names:
            if not name.endswith((".yml", ".yaml")):
                continue
            full = os.path.join(dirpath, name)
            rel = os.path.normpath(os.path.relpath(full, before_dir))
            with open(full, "rb") as fh:
                raw_before = fh.read()
            with open(os.path.join(after_dir, rel), "rb") as fh:
                raw_after = fh.read()
            entry = listed.get(rel)
            changed = raw_before != raw_after
            if not changed:
                if entry and entry["changed"]:
                    violations.append(f"{rel}: reported changed but not written")
                continue
            if not entry or not entry["changed"]:
                violations.append(f"{rel}: changed but not reported as changed")
                continue
            stats["files changed"] += 1
            for fx in entry["fixes"]:
                kinds[(fx["code"], re.sub(r"`[^`]*`", "`…`", fx["message"]))] += 1
            try:
                check_file(
                    rel,
                    raw_before.decode("utf-8"),
                    raw_after.decode("utf-8"),
                    entry["fixes"],
                    violations,
                    stats,
                )
            except UnicodeDecodeError:
                violations.append(f"{rel}: not UTF-8 after the migration")
    again = second["summary"]["files_changed"]
    if again:
        names = [f["path"] for f in second["files"] if f["changed"]][:10]
        violations.append(f"a second run changes {again} files again: {', '.join(names)}")
    s = first["summary"]
    print(f"flows: {s['flows']}, files changed: {stats['files changed']}, fixes: {s['fixes']}")
    print("fixes per code: " + (", ".join(f"{c} {n}" for c, n in sorted(s["fixes_by_code"].items(), key=lambda x: (-x[1], x[0]))) or "none"))
    print("fixes per kind:")
    for (code, kind), n in sorted(kinds.items(), key=lambda x: (-x[1], x[0])):
        print(f"  {n:5} {code} {kind}")
    print(f"dropped fixes (not applied, reported): {s['dropped']}")
    print(
        f"still blocking: {s['files_blocking']} files; "
        + (", ".join(f"{c} {n}" for c, n in sorted(s["blocking_by_code"].items(), key=lambda x: (-x[1], x[0]))) or "nothing")
    )
    for k in sorted(stats):
        if k != "files changed":
            print(f"{k}: {stats[k]}")
    if violations:
        print(f"FAIL: {len(violations)} violations")
        for v in violations[:50]:
            print(f"  {v}")
        return 1
    print("ok: every changed file parses, data changed only inside the fixes' targets, comments kept, a second run changes nothing")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
