#!/usr/bin/python3
"""Writes libgrid/_libgrid.pyi, the type stubs of libgrid's compiled module, from the module itself.

    PYTHONPATH=build/python /usr/bin/python3 scripts/generate-stubs.py [OUTPUT]

OUTPUT defaults to standard output; the build writes build/python/libgrid/_libgrid.pyi and
tests/python/test_stubs.py checks that bindings/python/libgrid/_libgrid.pyi is the same text.

The types come from what pybind11 writes into every docstring: the signature of each function,
method and property (the first lines; "Overloaded function." lists several), made from the C++
argument types. Where a binding takes or returns a plain Python object, the C++ side names its
type with TypedObject<"caption"> (bindings/python/src/typed_object.h). The methods libgrid's
pure-Python part attaches to GridSet (cells, path, responsible, ...) are read from their own
annotations (and typing.overload variants), so no signature is written twice.

How pybind11's spelling becomes a stub's:
- libgrid.GridSet -> GridSet (the classes are the module's own);
- numpy.ndarray[numpy.T] -> numpy.typing.ArrayLike for an argument (array_t converts anything
  numpy.asarray takes), numpy.typing.NDArray[numpy.T] for a result; a bare numpy.ndarray
  (py::array, which takes only arrays) -> numpy.typing.NDArray[Any];
- List[T] for an argument (std::vector<T>, which takes any sequence) -> Sequence[T]; a caption
  that needs a real list says list[T];
- os.PathLike (std::filesystem::path, which takes str too) -> Union[str, os.PathLike[str]];
- an argument whose default is None -> Optional[...];
- object as a result -> Any (as an argument it stays object: anything is taken).
An unknown name (a C++ type pybind11 could not name) is an error, not a silent Any.
"""

from __future__ import annotations

import ast
import builtins
import enum
import importlib
import inspect
import re
import sys
import textwrap
import types
import typing
from dataclasses import dataclass, field

PACKAGE = "libgrid"
MODULE = "libgrid._libgrid"
LINE_LIMIT = 100
TYPING_NAMES = {
    "Any", "Callable", "Dict", "FrozenSet", "Iterable", "Iterator", "List", "Literal", "Mapping",
    "Optional", "Sequence", "Set", "Tuple", "Union",
}
BUILTIN_TYPES = {"bool", "bytes", "complex", "dict", "float", "int", "list", "object", "set", "str",
                 "tuple", "type", "frozenset", "bytearray", "memoryview", "slice", "None"}


class StubError(Exception):
    pass


# Every member that could not be typed, so that one run names them all.
ERRORS: list[str] = []


@dataclass
class Imports:
    """What the stub imports: modules (import x.y) and names from typing."""
    modules: set[str] = field(default_factory=set)
    typing: set[str] = field(default_factory=set)

    def lines(self) -> list[str]:
        out = [f"import {m}" for m in sorted(self.modules)]
        if self.typing:
            out.append(f"from typing import {', '.join(sorted(self.typing))}")
        return out


@dataclass
class Parameter:
    text: str  # "name: type = default", "*", "*args: type", "self"


@dataclass
class Signature:
    parameters: list[Parameter]
    result: str


class TypeRewriter(ast.NodeTransformer):
    """Turns one type expression, as pybind11 or an annotation spells it, into the stub's."""

    def __init__(self, imports: Imports, classes: set[str], position: str, resolve=None):
        self.imports = imports
        self.classes = classes
        self.position = position  # "argument" or "result"
        self.resolve = resolve  # for annotations: maps a name to its module path, or None

    @staticmethod
    def dotted(node: ast.AST) -> str | None:
        parts = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        parts.append(node.id)
        return ".".join(reversed(parts))

    def name(self, dotted: str) -> ast.expr:
        """The stub's expression for a qualified name, recording its import."""
        if self.resolve is not None:
            dotted = self.resolve(dotted)
        if dotted in BUILTIN_TYPES:
            return ast.parse(dotted, mode="eval").body
        head, _, last = dotted.rpartition(".")
        if head in ("", "typing") and last in TYPING_NAMES:
            self.imports.typing.add(last)
            return ast.Name(last)
        if head in (PACKAGE, MODULE) and last in self.classes:
            return ast.Name(last)
        if head == "" and last in self.classes:
            return ast.Name(last)
        if head and importable(head):
            self.imports.modules.add(head)
            return ast.parse(dotted, mode="eval").body
        raise StubError(f"unknown type name {dotted!r}")

    def visit_Subscript(self, node: ast.Subscript) -> ast.AST:
        dotted = self.dotted(node.value)
        if dotted == "numpy.ndarray":  # array_t<T>: numpy.ndarray[numpy.T]
            if self.position == "argument":
                self.imports.modules.add("numpy.typing")
                return ast.parse("numpy.typing.ArrayLike", mode="eval").body
            self.imports.modules.add("numpy.typing")
            return ast.Subscript(ast.parse("numpy.typing.NDArray", mode="eval").body,
                                 self.visit(node.slice))
        if dotted == "List" and self.position == "argument" and self.resolve is None:
            # std::vector<T> takes any sequence but str (a py::list caption is list[...])
            self.imports.typing.add("Sequence")
            return ast.Subscript(ast.Name("Sequence"), self.visit(node.slice))
        return self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> ast.AST:
        dotted = self.dotted(node)
        if dotted is None:
            raise StubError(f"not a type: {ast.unparse(node)}")
        if dotted == "numpy.ndarray":  # py::array: an array of any type
            self.imports.modules.add("numpy.typing")
            self.imports.typing.add("Any")
            return ast.parse("numpy.typing.NDArray[Any]", mode="eval").body
        if dotted == "os.PathLike" and self.resolve is None:  # std::filesystem::path
            self.imports.modules.add("os")
            if self.position == "argument":
                self.imports.typing.add("Union")
                return ast.parse("Union[str, os.PathLike[str]]", mode="eval").body
            return ast.parse("os.PathLike[str]", mode="eval").body
        return self.name(dotted)

    def visit_Name(self, node: ast.Name) -> ast.AST:
        if node.id == "object" and self.position == "result" and self.resolve is None:
            self.imports.typing.add("Any")
            return ast.Name("Any")
        return self.name(node.id)

    def visit_Constant(self, node: ast.Constant) -> ast.AST:
        if node.value is None or node.value is Ellipsis:
            return node
        if isinstance(node.value, str) and self.resolve is not None:  # a quoted annotation
            return self.visit(ast.parse(node.value, mode="eval").body)
        raise StubError(f"not a type: {node.value!r}")


_importable: dict[str, bool] = {}


def importable(module: str) -> bool:
    if module not in _importable:
        try:
            importlib.import_module(module)
            _importable[module] = True
        except ImportError:
            _importable[module] = False
    return _importable[module]


def rewrite(text: str, imports: Imports, classes: set[str], position: str, resolve=None) -> str:
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as e:
        raise StubError(f"not a Python type: {text!r}") from e
    rewriter = TypeRewriter(imports, classes, position, resolve)
    return ast.unparse(rewriter.visit(tree.body))


def split_top_level(text: str, separator: str = ",") -> list[str]:
    """Splits at separators outside brackets and quotes."""
    parts, depth, quote, start = [], 0, None, 0
    for i, c in enumerate(text):
        if quote:
            if c == quote and text[i - 1] != "\\":
                quote = None
        elif c in "'\"":
            quote = c
        elif c in "([{<":
            depth += 1
        elif c in ")]}>" and not (c == ">" and text[i - 1] == "-"):
            depth -= 1
        elif c == separator and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    if text[start:].strip():
        parts.append(text[start:])
    return [p.strip() for p in parts]


def default_text(text: str | None) -> str | None:
    """A default as the stub writes it: a plain literal as it is, anything else as `...`."""
    if text is None:
        return None
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError):
        return "..."
    if isinstance(value, str) and len(value) < 40 and '"' not in value and "\\" not in value:
        return f'"{value}"'
    if value is None or isinstance(value, (bool, int, float)):
        return repr(value)
    return "..."


def optional(type_text: str, imports: Imports) -> str:
    if type_text in ("object", "Any", "None") or type_text.startswith("Optional[") or "None" in split_top_level(
            type_text[len("Union["):-1] if type_text.startswith("Union[") else "", ","):
        return type_text
    imports.typing.add("Optional")
    return f"Optional[{type_text}]"


SIGNATURE = re.compile(r"^(?:\d+\. )?(?P<name>\w+)\((?P<args>.*)\) -> (?P<result>.+)$")


def pybind11_signatures(doc: str | None, name: str, imports: Imports, classes: set[str],
                        method: bool) -> list[Signature]:
    """The signatures pybind11 wrote at the top of a docstring (several for an overload set)."""
    if not doc:
        raise StubError(f"{name}: no docstring, so no signature")
    lines = doc.splitlines()
    if len(lines) > 1 and lines[1].strip() == "Overloaded function.":
        candidates = [line for line in lines[2:] if re.match(rf"^\d+\. {re.escape(name)}\(", line)]
    else:
        candidates = [lines[0]]
    out = []
    for line in candidates:
        match = SIGNATURE.match(line.strip())
        if not match or match["name"] != name:
            raise StubError(f"{name}: no pybind11 signature in {line!r}")
        parameters = []
        for i, arg in enumerate(split_top_level(match["args"])):
            if method and i == 0:
                parameters.append(Parameter("self"))
                continue
            if arg == "*" or arg == "/":
                parameters.append(Parameter(arg))
                continue
            head, eq, default = arg.partition(" = ") if " = " in arg else (arg, "", None)
            if not eq:
                default = None
            arg_name, colon, arg_type = head.partition(": ")
            if arg_name in ("*args", "**kwargs"):  # py::args, py::kwargs: their types are the caption
                parameters.append(Parameter(f"{arg_name}: Any"))
                imports.typing.add("Any")
                continue
            if not colon:
                raise StubError(f"{name}: argument without a type: {arg!r}")
            type_text = rewrite(arg_type, imports, classes, "argument")
            if default is not None and default.strip() == "None":
                type_text = optional(type_text, imports)
            text = f"{arg_name}: {type_text}"
            if default is not None:
                text += f" = {default_text(default)}"
            parameters.append(Parameter(text))
        out.append(Signature(parameters, rewrite(match["result"], imports, classes, "result")))
    return out


def property_type(prop: property, name: str, imports: Imports, classes: set[str]) -> str:
    doc = prop.fget.__doc__ if prop.fget is not None else None
    match = re.match(r"^\(arg0: [^)]*\) -> (?P<result>.+)$", (doc or "").splitlines()[0] if doc else "")
    if not match:
        raise StubError(f"property {name}: no pybind11 signature")
    return rewrite(match["result"], imports, classes, "result")


def annotation_resolver(function: types.FunctionType):
    """Resolves the names of a pure-Python function's (string) annotations in its module."""
    namespace = function.__globals__

    def resolve(dotted: str) -> str:
        head, _, rest = dotted.partition(".")
        if head in BUILTIN_TYPES or (not rest and hasattr(builtins, head) and head not in namespace):
            return dotted
        if head not in namespace:
            raise StubError(f"{function.__qualname__}: unknown name {dotted!r} in an annotation")
        value = namespace[head]
        if isinstance(value, types.ModuleType):
            return f"{value.__name__}.{rest}" if rest else value.__name__
        if isinstance(value, type) and not rest:
            return f"{value.__module__}.{value.__qualname__}"
        if not rest and getattr(value, "__module__", None) == "typing":
            return f"typing.{head}"
        raise StubError(f"{function.__qualname__}: cannot name {dotted!r} in a stub")

    return resolve


def python_signature(function: types.FunctionType, imports: Imports, classes: set[str],
                     method: bool) -> Signature:
    """The signature of a pure-Python function from its annotations (every one is required)."""
    resolve = annotation_resolver(function)
    sig = inspect.signature(function)
    parameters, kw_only_marked = [], False
    for i, p in enumerate(sig.parameters.values()):
        if method and i == 0:
            parameters.append(Parameter("self"))
            continue
        if p.annotation is inspect.Parameter.empty:
            raise StubError(f"{function.__qualname__}: argument {p.name} has no annotation")
        annotation = p.annotation if isinstance(p.annotation, str) else inspect.formatannotation(p.annotation)
        type_text = rewrite(annotation, imports, classes, "argument", resolve)
        prefix = {inspect.Parameter.VAR_POSITIONAL: "*", inspect.Parameter.VAR_KEYWORD: "**"}.get(p.kind, "")
        if p.kind is inspect.Parameter.KEYWORD_ONLY and not kw_only_marked:
            parameters.append(Parameter("*"))
            kw_only_marked = True
        if p.kind is inspect.Parameter.VAR_POSITIONAL:
            kw_only_marked = True
        text = f"{prefix}{p.name}: {type_text}"
        if p.default is not inspect.Parameter.empty:
            text += f" = {default_text(repr(p.default))}"
        parameters.append(Parameter(text))
    if sig.return_annotation is inspect.Signature.empty:
        raise StubError(f"{function.__qualname__}: no return annotation")
    result = sig.return_annotation
    result = result if isinstance(result, str) else inspect.formatannotation(result)
    return Signature(parameters, rewrite(result, imports, classes, "result", resolve))


def def_lines(name: str, signature: Signature, indent: str, decorators: list[str]) -> list[str]:
    out = [f"{indent}@{d}" for d in decorators]
    params = [p.text for p in signature.parameters]
    one_line = f"{indent}def {name}({', '.join(params)}) -> {signature.result}: ..."
    if len(one_line) <= LINE_LIMIT:
        return out + [one_line]
    out.append(f"{indent}def {name}(")
    out += [f"{indent}    {p}," for p in params]
    out.append(f"{indent}) -> {signature.result}: ...")
    return out


def function_lines(name: str, signatures: list[Signature], indent: str, decorators: list[str],
                   imports: Imports) -> list[str]:
    if len(signatures) == 1:
        return def_lines(name, signatures[0], indent, decorators)
    imports.typing.add("overload")
    out = []
    for signature in signatures:
        out += def_lines(name, signature, indent, ["overload"] + decorators)
    return out


def first_paragraph(doc: str | None) -> str | None:
    if not doc:
        return None
    paragraph = inspect.cleandoc(doc).split("\n\n")[0]
    return " ".join(paragraph.split())


def docstring_lines(doc: str | None, indent: str) -> list[str]:
    text = first_paragraph(doc)
    if not text:
        return []
    text = text.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    if len(indent) + len(text) + 6 <= LINE_LIMIT:
        return [f'{indent}"""{text}"""']
    wrapped = textwrap.wrap(text, LINE_LIMIT - len(indent) - 3)
    return [f'{indent}"""{wrapped[0]}'] + [f"{indent}{line}" for line in wrapped[1:]] + [f'{indent}"""']


def is_pybind11_function(value: object) -> bool:
    return type(value).__name__ in ("builtin_function_or_method", "instancemethod")


def class_lines(cls: type, imports: Imports, classes: set[str]) -> list[str]:
    bases = [b for b in cls.__bases__ if b.__module__ != "pybind11_builtins" and b is not object]
    # A bound exception derives from a builtin one (py::register_exception), a class from its base.
    base_names = [b.__qualname__ if b.__module__ == "builtins" or b.__name__ in classes
                  else f"{b.__module__}.{b.__qualname__}" for b in bases]
    for b in bases:
        if b.__module__ != "builtins" and b.__name__ not in classes:
            imports.modules.add(b.__module__)
    base_text = f"({', '.join(base_names)})" if base_names else ""
    out = [f"class {cls.__name__}{base_text}:"]
    out += docstring_lines(cls.__doc__, "    ")
    members = []
    if issubclass(cls, enum.Enum) or hasattr(cls, "__members__"):
        for member in getattr(cls, "__members__", {}):
            members.append(f"    {member}: {cls.__name__}")
    for name, value in vars(cls).items():
        if name in ("__doc__", "__module__", "__init__", "__dict__", "__weakref__", "__members__"):
            continue
        if name in getattr(cls, "__members__", {}):  # an enum's values, listed above
            continue
        try:
            members += member_lines(cls, name, value, imports, classes)
        except StubError as e:
            ERRORS.append(f"{cls.__name__}.{name}: {e}")
    return out + (members or ["    ..."])


def member_lines(cls: type, name: str, value: object, imports: Imports, classes: set[str]) -> list[str]:
    members: list[str] = []
    if True:
        if isinstance(value, property):
            out_type = property_type(value, f"{cls.__name__}.{name}", imports, classes)
            members += ["    @property", f"    def {name}(self) -> {out_type}: ..."]
        elif isinstance(value, staticmethod):
            function = value.__func__
            if isinstance(function, types.FunctionType):
                members += def_lines(name, python_signature(function, imports, classes, False), "    ",
                                     ["staticmethod"])
            else:
                members += function_lines(
                    name, pybind11_signatures(function.__doc__, name, imports, classes, False), "    ",
                    ["staticmethod"], imports)
        elif isinstance(value, types.FunctionType):
            overloads = typing.get_overloads(value) if hasattr(typing, "get_overloads") else []
            members += function_lines(
                name, [python_signature(f, imports, classes, True) for f in overloads or [value]], "    ",
                [], imports)
        elif is_pybind11_function(value):
            members += function_lines(
                name, pybind11_signatures(value.__doc__, name, imports, classes, True), "    ", [], imports)
        elif not name.startswith("__"):
            raise StubError(f"cannot type a {type(value).__name__}")
    return members


def generate() -> str:
    importlib.import_module(PACKAGE)  # attaches the pure-Python methods to the classes
    module = importlib.import_module(MODULE)
    imports = Imports()
    entries = list(vars(module).items())
    classes = {name for name, value in entries if isinstance(value, type)}
    blocks: list[tuple[bool, list[str]]] = []  # (is a class, lines)
    for name, value in entries:
        if name in ("__doc__", "__file__", "__loader__", "__name__", "__package__", "__spec__",
                    "__builtins__", "__cached__", "__path__"):
            continue
        if isinstance(value, type):
            blocks.append((True, class_lines(value, imports, classes)))
        elif is_pybind11_function(value):
            try:
                blocks.append((False, function_lines(
                    name, pybind11_signatures(value.__doc__, name, imports, classes, False), "", [], imports)))
            except StubError as e:
                ERRORS.append(f"{name}: {e}")
        elif isinstance(value, (str, int, float, bool, bytes)):
            blocks.append((False, [f"{name}: {type(value).__name__}"]))
        else:
            ERRORS.append(f"{name}: cannot type a {type(value).__name__}")
    # Functions and attributes one after the other, two blank lines around a class.
    lines: list[str] = []
    for i, (is_class, block) in enumerate(blocks):
        if i > 0 and (is_class or blocks[i - 1][0]):
            lines += ["", ""]
        lines += block
    text = "\n".join(lines)
    header = ['"""Type stubs of libgrid\'s compiled core. Import libgrid, not this module.', "",
              "Generated by scripts/generate-stubs.py from the built module; do not edit.", '"""', ""]
    return "\n".join(header + imports.lines() + ["", ""] + [text]) + "\n"


def main() -> int:
    text = generate()
    if ERRORS and len(sys.argv) == 1:  # what could be typed, to see the rest in context
        sys.stdout.write(text)
    if ERRORS:
        for error in ERRORS:
            print(f"generate-stubs.py: {error}", file=sys.stderr)
        return 1
    if len(sys.argv) > 1:
        with open(sys.argv[1], "w", encoding="utf-8") as out:
            out.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
