"""A small reader of Java sources: enough structure for plugin schemas.

It tokenizes a file and reads its package, imports and type declarations (classes, interfaces,
enums, records, nested to any depth) with their annotations, `extends`/`implements`, fields,
abstract getters and enum constants. Method bodies and initializer blocks are skipped by brace
matching. It is not a Java parser: it only needs to be right on declarations.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_TOKEN = re.compile(
    r'''
    (?P<ws>\s+)
  | (?P<comment>//[^\n]*|/\*.*?\*/)
  | (?P<text>"""(?:\\.|[^\\])*?""")
  | (?P<str>"(?:\\.|[^"\\\n])*")
  | (?P<chr>'(?:\\.|[^'\\\n])+')
  | (?P<num>\d[\w.]*|\.\d[\w.]*)
  | (?P<id>[A-Za-z_$][\w$]*)
  | (?P<op>\.\.\.|::|->|[{}()\[\];,.<>@=?:&|!~+\-*/%^])
    ''',
    re.S | re.X,
)


@dataclass
class Tok:
    kind: str  # id, str, text, num, chr, op
    text: str


def tokenize(src: str) -> list[Tok]:
    out = []
    pos = 0
    n = len(src)
    while pos < n:
        m = _TOKEN.match(src, pos)
        if not m:
            pos += 1  # a stray character (unicode escapes…): skip it
            continue
        pos = m.end()
        kind = m.lastgroup
        if kind in ("ws", "comment"):
            continue
        out.append(Tok(kind, m.group()))
    return out


def string_value(tok: Tok) -> str | None:
    """The value of a string literal (escapes of quotes and backslashes only)."""
    if tok.kind == "str":
        body = tok.text[1:-1]
    elif tok.kind == "text":
        body = tok.text[3:-3]
    else:
        return None
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), body)


@dataclass
class TypeRef:
    name: str  # as written: `String`, `Property`, `Map.Entry`, `io.x.Y`
    args: list["TypeRef"] = field(default_factory=list)
    dims: int = 0
    # Simple names of the type-use annotations written before it (`List<@Valid X>`).
    annotations: list[str] = field(default_factory=list, compare=False)

    def __str__(self) -> str:
        s = self.name
        if self.args:
            s += "<" + ", ".join(map(str, self.args)) + ">"
        return s + "[]" * self.dims


@dataclass
class Annotation:
    name: str  # simple or qualified name as written, `Builder.Default`
    args: dict[str, list[Tok]]  # `value` for a single unnamed argument

    @property
    def simple(self) -> str:
        return self.name.rsplit(".", 1)[-1] if self.name != "Builder.Default" else "Builder.Default"

    def strings(self, key: str = "value") -> list[str]:
        return [s for t in self.args.get(key, []) if (s := string_value(t)) is not None]

    def flag(self, key: str) -> bool | None:
        toks = [t.text for t in self.args.get(key, [])]
        if toks == ["true"]:
            return True
        if toks == ["false"]:
            return False
        return None


@dataclass
class Field:
    name: str
    type: TypeRef
    annotations: list[Annotation]
    modifiers: set[str]
    init: list[Tok] | None


@dataclass
class Getter:
    """An abstract (or default) method `getX()` of an interface."""

    name: str
    type: TypeRef
    annotations: list[Annotation]


@dataclass
class TypeDecl:
    kind: str  # class, interface, enum, record, annotation
    name: str
    package: str
    outer: "TypeDecl | None"
    annotations: list[Annotation]
    modifiers: set[str]
    type_params: list[str] = field(default_factory=list)
    extends: list[TypeRef] = field(default_factory=list)
    implements: list[TypeRef] = field(default_factory=list)
    fields: list[Field] = field(default_factory=list)
    getters: list[Getter] = field(default_factory=list)
    constants: list[str] = field(default_factory=list)
    nested: list["TypeDecl"] = field(default_factory=list)
    unit: "Unit | None" = None
    any_getter: bool = False
    json_creator: bool = False  # built by Jackson from a scalar (a `@JsonCreator` factory)
    run_return: "TypeRef | None" = None  # what `run(…)` returns: a task's actual output class

    @property
    def fqn(self) -> str:
        """Dotted name, nested classes included: `a.b.Outer.Inner`."""
        if self.outer:
            return self.outer.fqn + "." + self.name
        return f"{self.package}.{self.name}" if self.package else self.name

    @property
    def binary(self) -> str:
        """Java's binary name, as Kestra keys definitions: `a.b.Outer$Inner`."""
        if self.outer:
            return self.outer.binary + "$" + self.name
        return self.fqn

    def annotation(self, simple: str) -> Annotation | None:
        return next((a for a in self.annotations if a.simple == simple), None)


@dataclass
class Unit:
    path: str
    package: str
    imports: list[str]  # `a.b.C`, `a.b.*`
    types: list[TypeDecl]
    repo: str = ""


MODIFIERS = {
    "public", "protected", "private", "static", "final", "abstract", "transient", "volatile",
    "synchronized", "native", "strictfp", "default", "sealed", "non-sealed",
}


class Parser:
    def __init__(self, toks: list[Tok]):
        self.t = toks
        self.i = 0

    def peek(self, k: int = 0) -> str:
        j = self.i + k
        return self.t[j].text if j < len(self.t) else ""

    def next(self) -> Tok:
        tok = self.t[self.i] if self.i < len(self.t) else Tok("op", "")
        self.i += 1
        return tok

    def at_end(self) -> bool:
        return self.i >= len(self.t)

    def skip_balanced(self, open_: str, close: str) -> list[Tok]:
        """From an opening token, skip to past its match; returns the tokens inside."""
        assert self.peek() == open_
        depth = 0
        start = self.i
        while not self.at_end():
            s = self.next().text
            if s == open_:
                depth += 1
            elif s == close:
                depth -= 1
                if depth == 0:
                    return self.t[start + 1 : self.i - 1]
        return self.t[start + 1 :]

    def qualified(self) -> str:
        parts = [self.next().text]
        while self.peek() == "." and self.i + 1 < len(self.t) and self.t[self.i + 1].kind == "id":
            self.i += 1
            parts.append(self.next().text)
        return ".".join(parts)

    def annotation(self) -> Annotation:
        self.next()  # @
        name = self.qualified()
        args: dict[str, list[Tok]] = {}
        if self.peek() == "(":
            inner = self.skip_balanced("(", ")")
            args = split_args(inner)
        return Annotation(name, args)

    def annotations_and_modifiers(self) -> tuple[list[Annotation], set[str]]:
        anns, mods = [], set()
        while not self.at_end():
            if self.peek() == "@" and self.peek(1) != "interface":
                anns.append(self.annotation())
            elif self.peek() in MODIFIERS:
                mods.add(self.next().text)
            else:
                break
        return anns, mods

    def type_ref(self) -> TypeRef:
        uses = []
        while self.peek() == "@":  # type-use annotations
            uses.append(self.annotation().simple)
        ref = self._type_ref()
        if uses:
            ref.annotations = uses + ref.annotations
        return ref

    def _type_ref(self) -> TypeRef:
        if self.peek() == "?":
            self.next()
            if self.peek() in ("extends", "super"):
                self.next()
                return self.type_ref()
            return TypeRef("Object")
        name = self.qualified()
        args = []
        if self.peek() == "<":
            self.next()
            while self.peek() not in (">", ""):
                args.append(self.type_ref())
                if self.peek() == ",":
                    self.next()
                elif self.peek() not in (">",):
                    # `&` bounds and anything unexpected: skip to the close
                    while self.peek() not in (">", ",", ""):
                        self.next()
                    if self.peek() == ",":
                        self.next()
            self.next()  # >
            # `Outer<T>.Inner`
            if self.peek() == "." and self.i + 1 < len(self.t) and self.t[self.i + 1].kind == "id":
                self.next()
                inner = self.type_ref()
                return TypeRef(name + "." + inner.name, inner.args, inner.dims)
        dims = 0
        while self.peek() == "[" and self.peek(1) == "]":
            self.i += 2
            dims += 1
        if self.peek() == "...":
            self.next()
            dims += 1
        return TypeRef(name, args, dims)

    def type_params(self) -> list[str]:
        names = []
        if self.peek() != "<":
            return names
        inner = self.skip_balanced("<", ">")
        depth = 0
        expect = True
        for tok in inner:
            if tok.text == "<":
                depth += 1
            elif tok.text == ">":
                depth -= 1
            elif tok.text == "," and depth == 0:
                expect = True
            elif expect and tok.kind == "id" and depth == 0:
                names.append(tok.text)
                expect = False
        return names

    def type_list(self) -> list[TypeRef]:
        out = [self.type_ref()]
        while self.peek() == ",":
            self.next()
            out.append(self.type_ref())
        return out

    def unit(self, path: str = "") -> Unit:
        package, imports, types = "", [], []
        while not self.at_end():
            save = self.i
            anns, mods = self.annotations_and_modifiers()
            word = self.peek()
            if word == "package":
                self.next()
                package = self.qualified()
                self.next()
            elif word == "import":
                self.next()
                static = self.peek() == "static"
                if static:
                    self.next()
                name = self.qualified()
                if self.peek() == "." and self.peek(1) == "*":
                    self.i += 2
                    name += ".*"
                if not static:
                    imports.append(name)
                while self.peek() not in (";", ""):
                    self.next()
                self.next()
            elif word in ("class", "interface", "enum", "record") or (word == "@" and self.peek(1) == "interface"):
                types.append(self.type_decl(anns, mods, package, None))
            elif word == ";":
                self.next()
            else:
                if self.i == save:
                    self.next()
        unit = Unit(path, package, imports, types)
        for t in walk_types(types):
            t.unit = unit
        return unit

    def type_decl(self, anns, mods, package, outer) -> TypeDecl:
        word = self.next().text
        if word == "@":
            self.next()
            word = "annotation"
        name = self.next().text
        decl = TypeDecl(word, name, package, outer, anns, mods)
        decl.type_params = self.type_params()
        record_components: list[Tok] = []
        if word == "record" and self.peek() == "(":
            record_components = self.skip_balanced("(", ")")
        while self.peek() not in ("{", ""):
            w = self.next().text
            if w == "extends":
                decl.extends = self.type_list()
            elif w == "implements":
                decl.implements = self.type_list()
            elif w == "permits":
                self.type_list()
        if record_components:
            sub = Parser(record_components)
            while not sub.at_end():
                a, m = sub.annotations_and_modifiers()
                ty = sub.type_ref()
                fname = sub.next().text
                decl.fields.append(Field(fname, ty, a, m, None))
                if sub.peek() == ",":
                    sub.next()
        self.body(decl)
        return decl

    def body(self, decl: TypeDecl):
        if self.peek() != "{":
            return
        self.next()
        if decl.kind == "enum":
            self.enum_constants(decl)
        while not self.at_end() and self.peek() != "}":
            self.member(decl)
        self.next()  # }

    def enum_constants(self, decl: TypeDecl):
        while not self.at_end():
            while self.peek() == "@":
                self.annotation()
            if self.peek() in (";", "}"):
                if self.peek() == ";":
                    self.next()
                return
            tok = self.next()
            if tok.kind == "id":
                decl.constants.append(tok.text)
            if self.peek() == "(":
                self.skip_balanced("(", ")")
            if self.peek() == "{":
                self.skip_balanced("{", "}")
            if self.peek() == ",":
                self.next()

    def member(self, decl: TypeDecl):
        start = self.i
        if self.peek() == ";":
            self.next()
            return
        if self.peek() == "{":  # initializer block
            self.skip_balanced("{", "}")
            return
        if self.peek() == "static" and self.peek(1) == "{":
            self.next()
            self.skip_balanced("{", "}")
            return
        anns, mods = self.annotations_and_modifiers()
        word = self.peek()
        if word in ("class", "interface", "enum", "record") or (word == "@" and self.peek(1) == "interface"):
            decl.nested.append(self.type_decl(anns, mods, decl.package, decl))
            return
        if word == "<":  # generic method
            self.type_params()
        if self.peek() == "}":
            return
        if any(a.simple == "JsonCreator" for a in anns):
            decl.json_creator = True
        # constructor: Name (
        if self.t[self.i].kind == "id" and self.peek(1) == "(":
            self.next()
            self.skip_balanced("(", ")")
            self.skip_method_rest()
            return
        try:
            ty = self.type_ref()
        except IndexError:
            self.i = len(self.t)
            return
        name_tok = self.next()
        if self.peek() == "(":  # method
            if name_tok.text == "run" and ty.name != "void" and "static" not in mods:
                decl.run_return = ty
            self.skip_balanced("(", ")")
            has_body = self.skip_method_rest()
            if name_tok.text == "get" or not name_tok.text.startswith(("get", "is")):
                pass
            if any(a.simple == "JsonAnyGetter" for a in anns):
                decl.any_getter = True
            elif name_tok.text.startswith(("get", "is")) and (decl.kind == "interface" or not has_body or "public" in mods):
                prop = name_tok.text[3:] if name_tok.text.startswith("get") else name_tok.text[2:]
                if prop and prop[0].isupper():
                    prop = prop[0].lower() + prop[1:]
                    decl.getters.append(Getter(prop, ty, anns))
            return
        # field(s): Type a [= init] [, b [= init]] ;
        while True:
            init = None
            dims = 0
            while self.peek() == "[" and self.peek(1) == "]":
                self.i += 2
                dims += 1
            fty = TypeRef(ty.name, ty.args, ty.dims + dims)
            if self.peek() == "=":
                self.next()
                init = self.expression()
            if name_tok.kind == "id":
                decl.fields.append(Field(name_tok.text, fty, anns, mods, init))
            if self.peek() == ",":
                self.next()
                name_tok = self.next()
                continue
            break
        if self.peek() == ";":
            self.next()
        elif self.i == start:
            self.next()

    def skip_method_rest(self) -> bool:
        """After a parameter list: throws, default values, then a body or `;`."""
        while not self.at_end():
            s = self.peek()
            if s == "{":
                self.skip_balanced("{", "}")
                return True
            if s == ";":
                self.next()
                return False
            if s == "}":
                return False
            if s == "(":
                self.skip_balanced("(", ")")
                continue
            self.next()
        return False

    def expression(self) -> list[Tok]:
        """Tokens of an initializer, up to the `,` or `;` that ends it."""
        out = []
        depth = 0
        while not self.at_end():
            s = self.peek()
            if depth == 0 and s in (",", ";", "}"):
                break
            if s in ("(", "{", "["):
                depth += 1
            elif s in (")", "}", "]"):
                depth -= 1
            out.append(self.next())
        return out


def split_args(inner: list[Tok]) -> dict[str, list[Tok]]:
    """`a = x, b = {y, z}` → {a: [x], b: [{, y, ,, z, }]}; a lone value is `value`."""
    parts, cur, depth = [], [], 0
    for tok in inner:
        if tok.text in ("(", "{", "["):
            depth += 1
        elif tok.text in (")", "}", "]"):
            depth -= 1
        if tok.text == "," and depth == 0:
            parts.append(cur)
            cur = []
        else:
            cur.append(tok)
    if cur:
        parts.append(cur)
    out: dict[str, list[Tok]] = {}
    for p in parts:
        if len(p) >= 2 and p[0].kind == "id" and p[1].text == "=":
            out[p[0].text] = p[2:]
        else:
            out.setdefault("value", []).extend(p)
    return out


def walk_types(types):
    for t in types:
        yield t
        yield from walk_types(t.nested)


def parse(src: str, path: str = "") -> Unit:
    return Parser(tokenize(src)).unit(path)
