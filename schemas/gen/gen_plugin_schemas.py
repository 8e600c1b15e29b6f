#!/usr/bin/env python3
"""Generate served-shape schemas for Kestra plugins from their Java sources.

    gen_plugin_schemas.py SOURCES_DIR [--out schemas/plugins] [--core schemas/kestra-core.schema.json]

SOURCES_DIR holds one checkout per repository (`kestra` for the base classes, `plugin-aws`,
`plugin-jdbc`, …); a `.source.json` in a checkout (`{"repo", "commit", "date"}`) is copied into
the manifest. Only `src/main/java` trees are read. The output is one JSON document per plugin
repository, in the shape a Kestra server serves, a `manifest.json` (repository, commit, date,
types, aliases, open types) and `src/schema/plugin_files.rs`, the table that embeds them.

Facts only: names, types, constraints, defaults, deprecations. No titles or descriptions.
See schemas/README.md for what is generated and how.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import pickle
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import javasrc  # noqa: E402
from javasrc import TypeDecl, TypeRef, string_value  # noqa: E402

TASK = "io.kestra.core.models.tasks.Task"
TRIGGER = "io.kestra.core.models.triggers.AbstractTrigger"
CONDITION = "io.kestra.core.models.conditions.Condition"
SCHEDULE_CONDITION = "io.kestra.core.models.conditions.ScheduleCondition"
RUNNER = "io.kestra.core.models.tasks.runners.TaskRunner"
FLOW = "io.kestra.core.models.flows.Flow"
UNION_MARK = "x-kestra-lint-union"

# The polymorphic bases a plugin extends, by kind; their common properties come from the
# core schema (1.3), not from the (older) base-class sources.
BASES = {TASK: "task", TRIGGER: "trigger", CONDITION: "condition", RUNNER: "taskRunner"}
# Bases newer than the core sources read: sub-plugins (generators…) with only a `type`.
OTHER_BASES = {"io.kestra.core.plugins.AdditionalPlugin"}
# Interfaces that tell the kind of a plugin whose class chain is not resolvable.
KIND_HINTS = {
    "RunnableTask": "task", "FlowableTask": "task", "ExecutableTask": "task",
    "PollingTriggerInterface": "trigger", "RealtimeTriggerInterface": "trigger",
    "TriggerOutput": "trigger", "WebhookInterface": "trigger", "ScheduleCondition": "condition",
}
# Interfaces that make a class a task, and whose first type argument is its output.
OUTPUT_INTERFACES = {
    "io.kestra.core.models.tasks.RunnableTask",
    "io.kestra.core.models.tasks.FlowableTask",
    "io.kestra.core.models.tasks.ExecutableTask",
}
VOID_OUTPUT = "io.kestra.core.models.tasks.VoidOutput"

STRING = {"type": "string"}
SCALARS = {
    "String": STRING, "CharSequence": STRING, "Character": STRING, "char": STRING,
    "UUID": STRING, "ZoneId": STRING, "Charset": STRING, "Pattern": STRING, "Path": STRING,
    "File": STRING, "Locale": STRING, "TimeZone": STRING,
    "Integer": {"type": "integer"}, "int": {"type": "integer"}, "Long": {"type": "integer"},
    "long": {"type": "integer"}, "Short": {"type": "integer"}, "short": {"type": "integer"},
    "Byte": {"type": "integer"}, "byte": {"type": "integer"}, "BigInteger": {"type": "integer"},
    "AtomicInteger": {"type": "integer"}, "AtomicLong": {"type": "integer"},
    "Double": {"type": "number"}, "double": {"type": "number"}, "Float": {"type": "number"},
    "float": {"type": "number"}, "BigDecimal": {"type": "number"}, "Number": {"type": "number"},
    "Boolean": {"type": "boolean"}, "boolean": {"type": "boolean"},
    "Duration": {"type": "string", "format": "duration"},
    "ZonedDateTime": {"type": "string", "format": "date-time"},
    "OffsetDateTime": {"type": "string", "format": "date-time"},
    "Instant": {"type": "string", "format": "date-time"},
    "LocalDateTime": {"type": "string", "format": "date-time"},
    "Date": {"type": "string", "format": "date-time"},
    "LocalDate": {"type": "string", "format": "date"},
    "LocalTime": {"type": "string", "format": "partial-time"},
    "OffsetTime": {"type": "string", "format": "time"},
    "URI": {"type": "string", "format": "uri"}, "URL": {"type": "string", "format": "uri"},
    "Level": {"type": "string", "enum": ["ERROR", "WARN", "INFO", "DEBUG", "TRACE"]},
}
ANY = {"Object", "JsonNode", "ObjectNode", "Serializable", "Any", "Void", "T"}
LISTS = {"List", "ArrayList", "LinkedList", "Set", "HashSet", "LinkedHashSet", "Collection",
         "Iterable", "SortedSet", "TreeSet"}
MAPS = {"Map", "HashMap", "LinkedHashMap", "TreeMap", "SortedMap", "ConcurrentHashMap",
        "ConcurrentMap"}
REQUIRED_ANNOTATIONS = {"NotNull", "NotEmpty", "NotBlank"}


def cascades(ref: TypeRef) -> bool:
    """Whether Bean Validation cascades through a type written with `@Valid` inside it
    (`List<@Valid X>`, `Map<String, @Valid X>`)."""
    return "Valid" in ref.annotations or any(cascades(a) for a in ref.args)


class Index:
    """Every type declaration of every checkout, by dotted name, with a resolver."""

    def __init__(self, units):
        self.units = units
        self.by_fqn: dict[str, TypeDecl] = {}
        self.memo: dict = {}
        self.member_memo: dict = {}
        for unit in units:
            for t in javasrc.walk_types(unit.types):
                # The first checkout wins: plugin repositories come before `kestra`.
                self.by_fqn.setdefault(t.fqn, t)
        self.subclasses: dict[str, list[TypeDecl]] = {}
        for t in self.by_fqn.values():
            for parent in t.extends + t.implements:
                p = self.resolve(parent.name, t)
                if p is not None:
                    self.subclasses.setdefault(p.fqn, []).append(t)

    def resolve(self, name: str, ctx: TypeDecl | None, depth: int = 0) -> TypeDecl | None:
        """The declaration a type name written in `ctx` stands for, if it is in the sources."""
        key = (name, id(ctx))
        if key in self.memo:
            return self.memo[key]
        if depth > 12:
            return None
        self.memo[key] = None  # a cycle resolves to nothing
        found = self._resolve(name, ctx, depth)
        self.memo[key] = found
        return found

    def _resolve(self, name: str, ctx: TypeDecl | None, depth: int) -> TypeDecl | None:
        if depth > 12:
            return None
        if name in self.by_fqn and "." in name:
            return self.by_fqn[name]
        head, _, rest = name.partition(".")
        found = self._simple(head, ctx, depth)
        if found is None:
            if "." in name and name[0].islower():
                return self.by_fqn.get(name)
            return None
        for part in rest.split(".") if rest else []:
            found = self.member_type(found, part, depth + 1)
            if found is None:
                return None
        return found

    def member_type(self, decl: TypeDecl, name: str, depth: int) -> TypeDecl | None:
        """A nested type of `decl` or of one of its supertypes (inherited member types)."""
        key = (id(decl), name)
        if key in self.member_memo:
            return self.member_memo[key]
        self.member_memo[key] = None
        found = self._member_type(decl, name, depth)
        self.member_memo[key] = found
        return found

    def _member_type(self, decl: TypeDecl, name: str, depth: int) -> TypeDecl | None:
        if depth > 12:
            return None
        for n in decl.nested:
            if n.name == name:
                return n
        for parent in decl.extends + decl.implements:
            p = self.resolve(parent.name, decl, depth + 1)
            if p is not None and p is not decl:
                found = self.member_type(p, name, depth + 1)
                if found is not None:
                    return found
        return None

    def _simple(self, name: str, ctx: TypeDecl | None, depth: int) -> TypeDecl | None:
        if ctx is None:
            return None
        cur = ctx
        while cur is not None:
            if cur.name == name:
                return cur
            found = self.member_type(cur, name, depth + 1)
            if found is not None:
                return found
            cur = cur.outer
        unit = ctx.unit
        if unit is None:
            return None
        for imp in unit.imports:
            if imp.endswith("." + name):
                return self.by_fqn.get(imp)
        same = f"{unit.package}.{name}" if unit.package else name
        if same in self.by_fqn:
            return self.by_fqn[same]
        for imp in unit.imports:
            if imp.endswith(".*"):
                hit = self.by_fqn.get(imp[:-2] + "." + name)
                if hit is not None:
                    return hit
        return None

    def external(self, name: str, ctx: TypeDecl | None) -> str:
        """The qualified name of a type outside the sources, as far as imports tell."""
        if ctx is not None and ctx.unit is not None:
            for imp in ctx.unit.imports:
                if imp.endswith("." + name.split(".")[0]):
                    return imp + name[len(name.split(".")[0]):]
        return name


def type_vars(decl: TypeDecl) -> set[str]:
    out = set()
    cur = decl
    while cur is not None:
        out.update(cur.type_params)
        cur = cur.outer
    return out


def strip_prose(value):
    """Drop titles and descriptions from a definition copied from the core schema."""
    if isinstance(value, dict):
        return {k: strip_prose(v) for k, v in value.items()
                if k not in ("title", "description", "markdownDescription")}
    if isinstance(value, list):
        return [strip_prose(v) for v in value]
    return value


class Core:
    """The embedded core schema: common properties of the bases and shared definitions."""

    def __init__(self, path: Path):
        doc = json.loads(path.read_text())
        self.defs: dict = doc["definitions"]
        self.common: dict[str, tuple[dict, list[str]]] = {}
        for base in BASES:
            members = [r["$ref"].rsplit("/", 1)[-1] for r in self.defs[base]["anyOf"]]
            shared = None
            for m in members:
                keys = set(self.defs[m].get("properties", {}))
                shared = keys if shared is None else shared & keys
            first = self.defs[members[0]]
            props = {k: v for k, v in first["properties"].items() if k in shared}
            req = [r for r in first.get("required", []) if r in shared]
            self.common[base] = (props, req)


class Generator:
    def __init__(self, index: Index, core: Core):
        self.index = index
        self.core = core
        self.open_types: list[str] = []
        self.kinds: dict = {}
        self.generated: set = set()
        self.iface_memo: dict = {}
        self.warnings: list[str] = []
        # The definition whose properties are being read, and whether the field being read
        # cascades validation (`@Valid`) into the objects it holds.
        self.reading: list[str] = []
        self.cascading = False

    # -- the class chain -------------------------------------------------------------------

    def chain(self, decl: TypeDecl):
        """(classes from `decl` up, the base reached or None, the first unresolved parent)."""
        out, cur, seen = [], decl, set()
        while cur is not None and cur.fqn not in seen:
            seen.add(cur.fqn)
            if cur.fqn in BASES:
                return out, cur.fqn, None
            out.append(cur)
            if not cur.extends or cur.kind in ("interface", "enum", "record"):
                break
            parent = cur.extends[0]
            nxt = self.index.resolve(parent.name, cur)
            if nxt is None:
                ext = self.index.external(parent.name, cur)
                if ext in BASES or ext in OTHER_BASES:
                    return out, ext, None
                return out, None, ext
            cur = nxt
        # No base: an interface-only plugin (a condition implementing ScheduleCondition…).
        for c in out:
            for i in c.implements:
                r = self.index.resolve(i.name, c)
                ext = r.fqn if r else self.index.external(i.name, c)
                if ext in (CONDITION, SCHEDULE_CONDITION):
                    return out, CONDITION, None
        return out, None, None

    def interfaces(self, decl: TypeDecl):
        """Every interface a class implements (resolvable ones), transitively."""
        if decl.fqn not in self.iface_memo:
            self.iface_memo[decl.fqn] = self._interfaces(decl)
        return self.iface_memo[decl.fqn]

    def _interfaces(self, decl: TypeDecl):
        seen = set()
        out = []
        todo = [(i, decl) for i in decl.implements + (decl.extends if decl.kind == "interface" else [])]
        while todo:
            ref, ctx = todo.pop()
            r = self.index.resolve(ref.name, ctx)
            if r is None or r.fqn in seen:
                continue
            seen.add(r.fqn)
            out.append(r)
            todo.extend((i, r) for i in r.extends + r.implements)
        return out

    def kind_of(self, decl: TypeDecl) -> str | None:
        """task, trigger, condition, taskRunner, other (a sub-plugin) or None (not a plugin)."""
        if decl.fqn not in self.kinds:
            _, base, unresolved = self.chain(decl)
            kind = BASES.get(base) or ("other" if base in OTHER_BASES else None)
            if kind is None and unresolved is not None and decl.annotation("Plugin"):
                # An open plugin: its kind from the interfaces it names, else a task.
                names = {i.name.rsplit(".", 1)[-1] for c in self.chain(decl)[0] for i in c.implements}
                kind = next((KIND_HINTS[n] for n in sorted(names) if n in KIND_HINTS), "task")
            self.kinds[decl.fqn] = kind
        return self.kinds[decl.fqn]

    # -- property schemas ------------------------------------------------------------------

    def schema_of(self, ref: TypeRef, ctx: TypeDecl, doc: "Doc", rendered=False) -> dict:
        """The JSON schema of a Java type (without `$dynamic`). `rendered`: inside a
        `Property`, converted when rendered by a mapper that ignores unknown keys."""
        if ref.dims:
            inner = TypeRef(ref.name, ref.args, ref.dims - 1)
            if ref.name in ("byte", "Byte") and ref.dims == 1:
                return {"type": "string"}
            return {"type": "array", "items": self.schema_of(inner, ctx, doc, rendered)}
        name = ref.name
        simple = name.rsplit(".", 1)[-1]
        if name in type_vars(ctx) or name in ANY:
            return {}
        if simple == "Property" and ref.args:
            return expressions_inside(self.schema_of(ref.args[0], ctx, doc, True))
        if simple == "Optional" and ref.args:
            return self.schema_of(ref.args[0], ctx, doc, rendered)
        if (simple in LISTS or simple in MAPS) and "." not in name:
            local = self.index.resolve(name, ctx)
            if local is not None and local.unit is not None and local.unit.repo != "kestra":
                # A class of the plugin named like a collection (`Compose.List`).
                simple = ""
        if simple in LISTS:
            items = self.schema_of(ref.args[0], ctx, doc, rendered) if ref.args else {}
            return {"type": "array", "items": items} if items else {"type": "array"}
        if simple in MAPS:
            value = self.schema_of(ref.args[1], ctx, doc, rendered) if len(ref.args) > 1 else {}
            out = {"type": "object"}
            if value:
                out["additionalProperties"] = value
            return out
        decl = self.index.resolve(name, ctx)
        fqn = decl.fqn if decl is not None else self.index.external(name, ctx)
        binary = decl.binary if decl is not None else fqn
        if fqn in (TASK, TRIGGER, CONDITION, RUNNER, SCHEDULE_CONDITION) or binary in (TASK, TRIGGER, CONDITION, RUNNER):
            key = CONDITION if fqn == SCHEDULE_CONDITION else fqn
            doc.need_union(key)
            return {"$ref": f"#/definitions/{key}"}
        if binary in self.core.defs:
            doc.copy_core(binary)
            return {"$ref": f"#/definitions/{binary}"}
        if decl is None:
            if simple in SCALARS and (fqn == simple or fqn.startswith("java.") or simple == "Level"):
                return copy.deepcopy(SCALARS[simple])
            if simple in SCALARS:
                return copy.deepcopy(SCALARS[simple])
            return {}
        if decl.kind == "enum":
            return {"type": "string", "enum": list(decl.constants)}
        if decl.kind == "annotation":
            return {}
        # A plugin base with plugin subclasses (AI providers, auth methods…): a union.
        subs = self.plugin_subclasses(decl)
        if subs:
            doc.union(decl.binary, subs, self)
            return {"$ref": f"#/definitions/{decl.binary}"}
        if decl.kind == "interface" or "abstract" in decl.modifiers:
            return {}
        if not rendered:
            doc.refs.setdefault(decl.binary, []).append(
                (self.reading[-1] if self.reading else None, self.cascading))
        doc.object_def(decl, self)
        if rendered:
            doc.lenient(decl.binary)
        if decl.json_creator:
            # Jackson also builds it from a plain value (`field: user.id`).
            return {"anyOf": [{"$ref": f"#/definitions/{decl.binary}"}, {"type": "string"}]}
        return {"$ref": f"#/definitions/{decl.binary}"}

    def plugin_subclasses(self, decl: TypeDecl) -> list[TypeDecl]:
        """Concrete `@Plugin` classes below `decl`, or [] when `decl` is not such a base."""
        out, todo, seen = [], [decl], set()
        while todo:
            cur = todo.pop()
            for s in self.index.subclasses.get(cur.fqn, []):
                if s.fqn in seen:
                    continue
                seen.add(s.fqn)
                todo.append(s)
                if s.kind == "class" and "abstract" not in s.modifiers and s.annotation("Plugin"):
                    out.append(s)
        if decl.kind == "class" and "abstract" not in decl.modifiers:
            return []
        return sorted(out, key=lambda d: d.binary)

    def property(self, f, ctx: TypeDecl, doc: "Doc") -> dict:
        is_property = f.type.name.rsplit(".", 1)[-1] == "Property"
        ann = {a.simple: a for a in f.annotations}
        saved = self.cascading
        self.cascading = "Valid" in ann or cascades(f.type)
        try:
            schema = self.schema_of(f.type, ctx, doc)
        finally:
            self.cascading = saved
        if is_property:
            schema["$dynamic"] = True
        elif "PluginProperty" in ann and ann["PluginProperty"].flag("dynamic") is not None:
            schema["$dynamic"] = ann["PluginProperty"].flag("dynamic")
        if "Deprecated" in ann:
            schema["$deprecated"] = True
        pattern = ann.get("Pattern")
        if pattern is not None:
            regexp = "".join(pattern.strings("regexp"))
            if regexp and schema.get("type") == "string" and not is_property:
                schema["pattern"] = regexp if regexp.endswith("$") else regexp + "$"
        if f.init is not None:
            d = default_value(f.init, schema)
            if d is not None:
                schema["default"] = d
        return schema

    # -- definitions -------------------------------------------------------------------------

    def fields(self, classes: list[TypeDecl]):
        """(field, declaring class) of a chain, the subclass winning on a name clash."""
        seen = {}
        for c in classes:
            for f in c.fields:
                if "static" in f.modifiers or "transient" in f.modifiers:
                    continue
                if any(a.simple in ("JsonIgnore",) for a in f.annotations):
                    continue
                seen.setdefault(json_name(f), (f, c))
        return list(seen.values())

    def properties(self, decl: TypeDecl, classes: list[TypeDecl], doc: "Doc"):
        props: dict[str, dict] = {}
        required: list[str] = []
        for f, c in self.fields(classes):
            name = json_name(f)
            props[name] = self.property(f, c, doc)
            if name in ("id", "type"):
                continue
            ann = {a.simple for a in f.annotations}
            if ann & REQUIRED_ANNOTATIONS and f.init is None:
                required.append(name)
            for alias in alias_names(f):
                props.setdefault(alias, copy.deepcopy(props[name]))
        # Getters declared by the interfaces (connection settings shared across a repository).
        for c in classes:
            for iface in self.interfaces(c):
                for g in iface.getters:
                    if g.name in props or any(a.simple == "JsonIgnore" for a in g.annotations):
                        continue
                    if not any(a.simple in ("Schema", "PluginProperty") for a in g.annotations):
                        continue
                    f = javasrc.Field(g.name, g.type, g.annotations, set(), None)
                    props[g.name] = self.property(f, iface, doc)
        return props, required

    def plugin_def(self, decl: TypeDecl, doc: "Doc") -> dict:
        classes, base, unresolved = self.chain(decl)
        props, required = {}, []
        if base in OTHER_BASES:
            props["type"] = {}
        elif base is None and unresolved is not None:
            # An open plugin still has the common properties of its kind.
            base = {v: k for k, v in BASES.items()}.get(self.kind_of(decl))
        if base in self.core.common:
            common, common_req = self.core.common[base]
            for k, v in common.items():
                props[k] = strip_prose(copy.deepcopy(v))
                for r in re.findall(r'"#/definitions/([^"]+)"', json.dumps(v)):
                    if r in (TASK, TRIGGER, CONDITION, RUNNER):
                        doc.need_union(r)
                    else:
                        doc.copy_core(r)
            required.extend(common_req)
        own, own_req = self.properties(decl, classes, doc)
        for k, v in own.items():
            if k in ("type",):
                continue
            if k == "id" and "id" in props:
                continue
            props[k] = v
        for r in own_req:
            if r not in required:
                required.append(r)
        props["type"] = {"const": decl.binary}
        if "id" not in props and base in (TASK, TRIGGER):
            props["id"] = {"type": "string"}
        out = {"type": "object", "properties": dict(sorted(props.items()))}
        if required:
            out["required"] = required
        if unresolved is not None:
            out["additionalProperties"] = True
            self.open_types.append(f"{decl.binary} (parent {unresolved})")
        elif decl.unit is not None and decl.unit.repo == "kestra":
            # Kestra's own classes (the Docker task runner) come from an older checkout than
            # the server they run on: their properties are known, not all of them.
            out["additionalProperties"] = True
            self.open_types.append(f"{decl.binary} (read from older Kestra sources)")
        if decl.annotation("Deprecated"):
            out["$deprecated"] = "true"
        if base == TASK:
            outputs = self.outputs(decl, doc)
            if outputs is not None:
                out["$outputs"] = outputs
        return out

    def outputs(self, decl: TypeDecl, doc: "Doc"):
        """The task's output properties by name, or None when they are not known."""
        out_ref = self.output_type(decl)
        if out_ref is None:
            return None
        ref, ctx = out_ref
        if ref.name in type_vars(ctx):
            return None
        out_decl = self.index.resolve(ref.name, ctx)
        if out_decl is None:
            ext = self.index.external(ref.name, ctx)
            return {} if ext == VOID_OUTPUT or ref.name == "VoidOutput" else None
        if out_decl.fqn == VOID_OUTPUT:
            return {}
        if out_decl.unit is not None and out_decl.unit.repo == "kestra" and not decl.package.startswith("io.kestra.plugin.core"):
            # An output class of Kestra itself (ScriptOutput…): the checkout read is older than
            # the plugins, whose Kestra may add outputs; better unknown than wrong.
            return None
        classes, _, unresolved = self.chain(out_decl)
        if unresolved is not None or any(c.any_getter for c in classes):
            return None
        result = {}
        for f, c in self.fields(classes):
            s = self.schema_of(f.type, c, doc)
            result[json_name(f)] = {k: v for k, v in s.items() if k in ("type",)}
        for c in classes:
            for g in c.getters:
                if c.kind == "class" and g.name not in result and not any(a.simple == "JsonIgnore" for a in g.annotations):
                    result[g.name] = {}
        return dict(sorted(result.items()))

    def output_type(self, decl: TypeDecl):
        """(output TypeRef, context) from `RunnableTask<O>` anywhere up the chain."""
        subst: dict[str, tuple[TypeRef, TypeDecl]] = {}
        cur, seen = decl, set()
        while cur is not None and cur.fqn not in seen:
            seen.add(cur.fqn)
            # `run` may return a subclass of the declared output (a covariant override).
            if cur.run_return is not None and cur.run_return.name not in type_vars(cur):
                return cur.run_return, cur
            for i in cur.implements:
                r = self.index.resolve(i.name, cur)
                fq = r.fqn if r else self.index.external(i.name, cur)
                if fq in OUTPUT_INTERFACES and i.args:
                    arg = i.args[0]
                    if arg.name in subst:
                        return subst[arg.name]
                    return arg, cur
            if not cur.extends:
                return None
            parent = cur.extends[0]
            nxt = self.index.resolve(parent.name, cur)
            if nxt is None:
                return None
            new = {}
            for p, a in zip(nxt.type_params, parent.args):
                new[p] = subst.get(a.name, (a, cur))
            subst = new
            cur = nxt
        return None


EXPRESSION = {"type": "string", "pattern": ".*{{.*}}.*"}


def expressions_inside(schema: dict) -> dict:
    """Inside a `Property`, the whole value is rendered before it is read: list items and
    map values that are not strings may be `{{ … }}` expressions too."""
    for key in ("items", "additionalProperties"):
        sub = schema.get(key)
        if isinstance(sub, dict) and sub:
            sub = expressions_inside(sub)
            if sub.get("type") in ("integer", "number", "boolean") or "enum" in sub or "$ref" in sub:
                sub = {"anyOf": [sub, dict(EXPRESSION)]}
            schema[key] = sub
    return schema


def json_name(f) -> str:
    for a in f.annotations:
        if a.simple == "JsonProperty":
            names = a.strings("value") or a.strings("")
            if names and names[0]:
                return names[0]
    return f.name


def alias_names(f) -> list[str]:
    for a in f.annotations:
        if a.simple == "JsonAlias":
            return a.strings("value")
    return []


DURATION = {"ofSeconds": "S", "ofMinutes": "M", "ofHours": "H"}


def default_value(init, schema):
    """A JSON default from a simple initializer, else None."""
    toks = list(init)
    texts = [t.text for t in toks]
    # Property.ofValue(x) / Property.of(x) / Property.ofExpression("…")
    if len(texts) >= 4 and texts[0] == "Property" and texts[1] == "." and texts[3] == "(" and texts[-1] == ")":
        toks = toks[4:-1]
        texts = texts[4:-1]
    if len(toks) == 1:
        t = toks[0]
        if t.text in ("true", "false"):
            return t.text == "true" if schema.get("type") in ("boolean", None) else None
        if t.kind in ("str", "text"):
            return string_value(t) if schema.get("type") in ("string", None) else None
        if t.kind == "num":
            n = t.text.rstrip("lLdDfF").replace("_", "")
            try:
                v = float(n) if "." in n or schema.get("type") == "number" else int(n, 0)
            except ValueError:
                return None
            return v if schema.get("type") in ("integer", "number") else None
    if len(texts) == 2 and texts[0] == "-" and toks[1].kind == "num":
        try:
            return -int(texts[1].rstrip("lL"))
        except ValueError:
            return None
    # Duration.ofSeconds(30)
    if len(texts) == 6 and texts[0] == "Duration" and texts[2] in DURATION and toks[4].kind == "num":
        return f"PT{texts[4].rstrip('lL')}{DURATION[texts[2]]}"
    # Enum.VALUE
    if len(texts) == 3 and texts[1] == "." and "enum" in schema and texts[2] in schema["enum"]:
        return texts[2]
    return None


class Doc:
    """One plugin repository's schema document, built definition by definition."""

    def __init__(self, core: Core):
        self.core = core
        self.defs: dict[str, dict] = {}
        self.unions: dict[str, list[str]] = {}
        self.pending: set[str] = set()
        self.lenient_keys: set[str] = set()
        # Nested (non-plugin) object definitions, and every reference to one:
        # key -> [(referencing definition, through a cascading `@Valid` field)].
        self.object_keys: set[str] = set()
        self.refs: dict[str, list[tuple[str | None, bool]]] = {}

    def drop_unvalidated_required(self):
        """Kestra validates a flow at save with Bean Validation, which enters a nested object
        only through `@Valid`. A nested definition keeps `required` only when every reference
        to it cascades from a definition that is itself validated (plugins are: Kestra's task
        and trigger lists are `@Valid`). One definition serves every reference, so the lenient
        choice: a class also reached without `@Valid` loses its `required`."""
        validated = set(self.object_keys)
        changed = True
        while changed:
            changed = False
            for key in sorted(validated):
                for src, cascade in self.refs.get(key, []):
                    if not cascade or src is None or (src in self.object_keys and src not in validated):
                        validated.discard(key)
                        changed = True
                        break
        for key in sorted(self.object_keys - validated):
            d = self.defs.get(key)
            if d is not None and d.pop("required", None) is not None:
                self.unvalidated.append(key)

    def need_union(self, key: str):
        self.unions.setdefault(key, [])

    def copy_core(self, key: str):
        """Copy a core definition and everything it references (but not the big unions)."""
        todo = [key]
        while todo:
            k = todo.pop()
            if k in self.defs or k not in self.core.defs:
                continue
            d = strip_prose(copy.deepcopy(self.core.defs[k]))
            self.defs[k] = d
            for r in re.findall(r'"#/definitions/([^"]+)"', json.dumps(d)):
                if r in (TASK, TRIGGER, CONDITION, RUNNER, SCHEDULE_CONDITION):
                    self.need_union(CONDITION if r == SCHEDULE_CONDITION else r)
                    if r == SCHEDULE_CONDITION:
                        self.unions.setdefault(SCHEDULE_CONDITION, [])
                else:
                    todo.append(r)

    def object_def(self, decl: TypeDecl, gen: Generator):
        key = decl.binary
        if key in self.defs or key in self.pending:
            return
        self.pending.add(key)
        self.object_keys.add(key)
        classes, _, unresolved = gen.chain(decl)
        gen.reading.append(key)
        try:
            props, required = gen.properties(decl, classes, self)
        finally:
            gen.reading.pop()
        d = {"type": "object", "properties": dict(sorted(props.items()))}
        if required:
            d["required"] = required
        if unresolved is not None or decl.any_getter:
            d["additionalProperties"] = True
        self.defs[key] = d
        self.pending.discard(key)

    def lenient(self, key: str):
        """An object read from a rendered `Property`: Kestra's mapper ignores unknown keys
        there and nothing checks required ones at save time."""
        d = self.defs.get(key)
        if d is not None and key not in self.lenient_keys:
            self.lenient_keys.add(key)
            d["additionalProperties"] = True
            d.pop("required", None)
            # The whole value is rendered first: scalars inside may be expressions too.
            for name, prop in list(d.get("properties", {}).items()):
                if prop.get("type") in ("integer", "number", "boolean") or "enum" in prop:
                    d["properties"][name] = {"anyOf": [prop, dict(EXPRESSION)]}

    def union(self, key: str, members: list[TypeDecl], gen: Generator):
        if key in self.defs or key in self.pending:
            return
        self.pending.add(key)
        for m in members:
            self.plugin(m, gen)
        self.defs[key] = {"anyOf": [{"$ref": f"#/definitions/{m.binary}"} for m in members]}
        self.pending.discard(key)

    def plugin(self, decl: TypeDecl, gen: Generator, kind: str | None = None):
        key = decl.binary
        if key in self.defs or key in self.pending:
            return
        self.pending.add(key)
        gen.reading.append(key)
        try:
            d = gen.plugin_def(decl, self)
        finally:
            gen.reading.pop()
        gen.generated.add(key)
        self.defs[key] = d
        self.pending.discard(key)
        if kind is not None:
            base = {"task": TASK, "trigger": TRIGGER, "condition": CONDITION, "taskRunner": RUNNER}[kind]
            self.unions.setdefault(base, []).append(key)

    def finish(self, runners: list[TypeDecl], gen: Generator, meta: dict) -> dict:
        self.unvalidated: list[str] = []
        # Task runners are needed wherever a `taskRunner` property is: every runner known.
        if RUNNER in self.unions:
            for r in runners:
                if r.binary not in self.defs:
                    self.plugin(r, gen, "taskRunner")
                elif r.binary not in self.unions[RUNNER]:
                    self.unions[RUNNER].append(r.binary)
            if "io.kestra.plugin.core.runner.Process" not in self.unions[RUNNER]:
                self.copy_core("io.kestra.plugin.core.runner.Process")
                self.unions[RUNNER].append("io.kestra.plugin.core.runner.Process")
        self.drop_unvalidated_required()
        for base, members in self.unions.items():
            if base in self.defs and "anyOf" not in self.defs[base]:
                continue
            self.defs[base] = {
                "anyOf": [{"$ref": f"#/definitions/{m}"} for m in sorted(set(members))],
                UNION_MARK: True,
            }
        self.need_union(TASK)
        self.need_union(TRIGGER)
        for base in (TASK, TRIGGER):
            self.defs.setdefault(base, {"anyOf": [], UNION_MARK: True})
        self.defs[FLOW] = {
            "type": "object",
            "properties": {
                "tasks": {"type": "array", "items": {"$ref": f"#/definitions/{TASK}"}},
                "triggers": {"type": "array", "items": {"$ref": f"#/definitions/{TRIGGER}"}},
            },
        }
        return {
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$ref": f"#/definitions/{FLOW}",
            "x-kestra-lint": meta,
            "definitions": dict(sorted(self.defs.items())),
        }


def load_units(root: Path, cache: Path | None):
    """Parse every `src/main/java` file of every checkout (plugin repositories first)."""
    cached = {}
    if cache is not None and cache.exists():
        try:
            cached = pickle.loads(cache.read_bytes())
        except Exception:
            cached = {}
    repos = sorted(p for p in root.iterdir() if p.is_dir())
    repos.sort(key=lambda p: p.name == "kestra")
    units, fresh = [], {}
    for repo in repos:
        for path in sorted(repo.rglob("*.java")):
            rel = path.relative_to(root).as_posix()
            if "/src/main/java/" not in "/" + rel:
                continue
            stamp = (rel, path.stat().st_mtime_ns, path.stat().st_size)
            unit = cached.get(stamp)
            if unit is None:
                unit = javasrc.parse(path.read_text(encoding="utf-8", errors="replace"), rel)
            unit.repo = repo.name
            fresh[stamp] = unit
            units.append(unit)
    if cache is not None:
        cache.write_bytes(pickle.dumps(fresh))
    return repos, units


def plugin_name(repo: str) -> str:
    if repo == "kestra":
        return "kestra-script"  # the task runner of Kestra's `script` module
    return repo[len("plugin-"):] if repo.startswith("plugin-") else repo


def generate(root: Path, out: Path, core_path: Path, rs_path: Path | None, cache: Path | None = None):
    repos, units = load_units(root, cache)
    index = Index(units)
    core = Core(core_path)
    gen = Generator(index, core)
    by_repo: dict[str, list[TypeDecl]] = {}
    for t in index.by_fqn.values():
        if t.kind != "class" or "abstract" in t.modifiers or t.unit is None:
            continue
        if t.outer is not None and "static" not in t.modifiers:
            continue
        if not t.package.startswith("io.kestra"):
            continue
        kind = gen.kind_of(t)
        if kind is None or kind == "other":
            continue
        by_repo.setdefault(t.unit.repo, []).append(t)
    runners = sorted((t for ts in by_repo.values() for t in ts if gen.kind_of(t) == "taskRunner"),
                     key=lambda d: d.binary)
    out.mkdir(parents=True, exist_ok=True)
    manifest = {"plugins": {}}
    written = []
    for repo in repos:
        types = sorted(by_repo.get(repo.name, []), key=lambda d: d.binary)
        if repo.name == "kestra":
            # Core plugins come from the core schema; only the runner in `script` is kept
            # (the Docker task runner ships with Kestra but is not in the core schema).
            types = [t for t in types if not t.package.startswith("io.kestra.plugin.core")
                     and not t.package.startswith("io.kestra.core")]
        if not types:
            continue
        src_meta = {}
        meta_file = repo / ".source.json"
        if meta_file.exists():
            src_meta = json.loads(meta_file.read_text())
        gen.open_types = []
        doc = Doc(core)
        aliases = {}
        for t in types:
            doc.plugin(t, gen, gen.kind_of(t))
            plugin = t.annotation("Plugin")
            if plugin is not None:
                for a in plugin.strings("aliases"):
                    aliases[a] = t.binary
        name = plugin_name(repo.name)
        meta = {
            "plugin": name,
            "source": f"{src_meta.get('repo', 'kestra-io/' + repo.name)}@{src_meta.get('commit', 'unknown')}",
            "generated": "by schemas/gen/gen_plugin_schemas.py",
        }
        document = doc.finish(runners, gen, meta)
        text = json.dumps(document, indent=None, separators=(",", ":"), sort_keys=False)
        (out / f"{name}.json").write_text(text + "\n")
        written.append(name)
        kinds = {}
        for t in types:
            kinds.setdefault(gen.kind_of(t), []).append(t.binary)
        listed = {b for v in kinds.values() for b in v}
        for key, d in document["definitions"].items():
            const = d.get("properties", {}).get("type", {}).get("const")
            if const == key and key not in listed and key in gen.generated:
                kinds.setdefault("other", []).append(key)
        manifest["plugins"][name] = {
            "repository": src_meta.get("repo", f"kestra-io/{repo.name}"),
            "commit": src_meta.get("commit", "unknown"),
            "commitDate": src_meta.get("date", "unknown"),
            "types": {k: v for k, v in sorted(kinds.items())},
            "aliases": dict(sorted(aliases.items())),
            # Open types of this repository (not the task runners copied from others).
            "open": sorted(o for o in gen.open_types if o.split(" ")[0] in {t.binary for t in types}),
        }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
    # Outputs of the core tasks (the core schema has none): from the `kestra` checkout.
    core_outputs = {}
    for t in by_repo.get("kestra", []):
        if t.package.startswith("io.kestra.plugin.core") and gen.kind_of(t) == "task":
            o = gen.outputs(t, Doc(core))
            if o is not None:
                core_outputs[t.binary] = sorted(o)
    if core_outputs:
        (out / "core-outputs.json").write_text(json.dumps(core_outputs, indent=1, sort_keys=True) + "\n")
    if rs_path is not None:
        lines = [
            "// Generated by schemas/gen/gen_plugin_schemas.py: the embedded plugin schemas.",
            "",
            "/// (plugin, schema document), one per plugin repository.",
            "#[rustfmt::skip]",
            "pub const FILES: &[(&str, &str)] = &[",
        ]
        for name in written:
            lines.append(f'    ("{name}", include_str!("../../schemas/plugins/{name}.json")),')
        lines.append("];")
        lines.append("")
        lines.append('pub const MANIFEST: &str = include_str!("../../schemas/plugins/manifest.json");')
        lines.append("")
        lines.append("/// Output names of the core tasks, `{\"<type>\": [names]}`.")
        lines.append('pub const CORE_OUTPUTS: &str = include_str!("../../schemas/plugins/core-outputs.json");')
        rs_path.write_text("\n".join(lines) + "\n")
    return manifest


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("sources", type=Path)
    here = Path(__file__).resolve().parent.parent
    ap.add_argument("--out", type=Path, default=here / "plugins")
    ap.add_argument("--core", type=Path, default=here / "kestra-core.schema.json")
    ap.add_argument("--rs", type=Path, default=here.parent / "src" / "schema" / "plugin_files.rs")
    ap.add_argument("--cache", type=Path, default=None, help="pickle of parsed sources, to rerun fast")
    args = ap.parse_args(argv)
    manifest = generate(args.sources, args.out, args.core, args.rs, args.cache)
    total = sum(len(t) for p in manifest["plugins"].values() for t in p["types"].values())
    opened = sum(len(p["open"]) for p in manifest["plugins"].values())
    print(f"{len(manifest['plugins'])} plugins, {total} types, {opened} open", file=sys.stderr)


if __name__ == "__main__":
    main()
