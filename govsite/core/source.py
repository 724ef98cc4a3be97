"""Reading source files: UTF-8 text, YAML documents and Markdown front matter, with line numbers.

Every reader here returns data or raises :class:`SourceError` carrying the 1-based line of the
problem, so the loader can report ``path:line`` without knowing how the file was parsed. A YAML
document is parsed once (:func:`parse_yaml`) into its data and :class:`KeyLines`, the line of
every key and list item from the same node tree: the one way a key's line is found.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

_Loader: type[yaml.CSafeLoader] | type[yaml.SafeLoader]
try:  # libyaml is several times faster; fall back to the pure-Python loader
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader

MAX_FILE_BYTES = 8 * 1024 * 1024
MAX_YAML_DEPTH = 50          # nesting levels; libyaml crashes the process on very deep nesting
MAX_YAML_NODES = 100_000     # nodes after expanding aliases (a "billion laughs" stays small on disk)
MAX_LINE_CHARS = 100_000     # a longer line is not text an editor wrote
_OPENERS = (yaml.FlowSequenceStartToken, yaml.FlowMappingStartToken, yaml.BlockSequenceStartToken,
            yaml.BlockMappingStartToken)
_CLOSERS = (yaml.FlowSequenceEndToken, yaml.FlowMappingEndToken, yaml.BlockEndToken)


class SourceError(Exception):
    """A file that cannot be read as the format it should have."""

    def __init__(self, line: int, message: str, hint: str = ""):
        super().__init__(message)
        self.line = line
        self.message = message
        self.hint = hint


def as_list(value) -> list[str]:
    """A YAML value that may be a list or a comma-separated string (中文逗号、顿号 too) → list."""
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [v.strip() for v in re.split(r"[,，、;；]", value) if v.strip()]
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value if v is not None and str(v).strip()]
    return [str(value).strip()]


def read_text(path) -> str:
    """Read a UTF-8 file; name the line of the first byte that is not UTF-8."""
    with open(path, "rb") as fh:
        data = fh.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise SourceError(1, f"文件超过 {MAX_FILE_BYTES // (1024 * 1024)} MB，无法处理", "请拆分文件，大附件不要写进 Markdown")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad_line = data.count(b"\n", 0, exc.start) + 1
        raise SourceError(bad_line, "文件不是 UTF-8 编码", "请在编辑器中以 UTF-8 编码另存该文件（不要使用 GBK/GB2312）") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if len(text) > MAX_LINE_CHARS:
        for number, line in enumerate(text.split("\n"), 1):
            if len(line) > MAX_LINE_CHARS:
                raise SourceError(number, f"第 {number} 行超过 {MAX_LINE_CHARS} 个字符", "请分段书写；大段数据请放在附件中")
    return text


def _check_yaml_shape(text: str, first_line: int) -> None:
    """Refuse YAML that is too deep or expands too far before libyaml builds it."""
    if text.count("[") + text.count("{") + text.count("\n ") > MAX_YAML_DEPTH:
        depth = 0
        for token in yaml.scan(text, Loader=yaml.SafeLoader):  # the Python scanner: iterative, safe
            if isinstance(token, _OPENERS):
                depth += 1
                if depth > MAX_YAML_DEPTH:
                    raise SourceError(first_line + token.start_mark.line, f"YAML 嵌套超过 {MAX_YAML_DEPTH} 层",
                                      "元数据只需要简单的键值和列表，请简化结构")
            elif isinstance(token, _CLOSERS):
                depth -= 1
    if "&" in text and "*" in text:
        sizes: dict[int, int] = {}

        def size(node) -> int:
            if id(node) in sizes:
                return sizes[id(node)]
            sizes[id(node)] = 1  # a node that contains itself counts once
            total = 1
            if isinstance(node, yaml.SequenceNode):
                total += sum(size(child) for child in node.value)
            elif isinstance(node, yaml.MappingNode):
                total += sum(size(k) + size(v) for k, v in node.value)
            sizes[id(node)] = total = min(total, MAX_YAML_NODES + 1)
            return total

        root = yaml.compose(text, Loader=_Loader)
        if root is not None and size(root) > MAX_YAML_NODES:
            raise SourceError(first_line, f"YAML 别名展开后超过 {MAX_YAML_NODES} 个节点（疑似“别名炸弹”）",
                              "不要在元数据中使用 & 锚点和 * 别名")


def _bad_date_line(text: str, first_line: int) -> int:
    """The line of the first date-like value that is not a real date (else ``first_line``)."""
    import datetime as dt

    for number, line in enumerate(text.split("\n")):
        for y, m, d in re.findall(r"(\d{4})-(\d{1,2})-(\d{1,2})", line):
            try:
                dt.date(int(y), int(m), int(d))
            except ValueError:
                return first_line + number
    return first_line


@dataclass
class KeyLines:
    """The file line of every key and list item of one YAML document.

    Paths are tuples of keys (as written) and list indexes: ``("check", "reply", "working_days")``,
    ``("items", 3)``. Taken from the node tree of the parse that built the data, so a key's line is
    never guessed from the text (a key inside a block scalar or a nested mapping cannot be found
    by mistake) and the file is parsed once."""

    lines: dict = field(default_factory=dict)
    first: int = 1

    def line(self, *path) -> int:
        """The line of ``path``, else of its nearest enclosing key, else of the document start."""
        while path:
            found = self.lines.get(tuple(p if isinstance(p, int) else str(p) for p in path))
            if found is None and isinstance(path[-1], str) and path[-1].isdigit():   # "3": a list index
                found = self.lines.get(tuple(p if isinstance(p, int) else str(p) for p in path[:-1]) + (int(path[-1]),))
            if found:
                return found
            path = path[:-1]
        return self.first

    def top(self) -> dict:
        """``{key: line}`` of the top-level keys (``Page.lines`` and ``Column.lines``)."""
        return {path[0]: line for path, line in self.lines.items() if len(path) == 1}

    def rows(self, key: str) -> dict:
        """``{"key[N]": line}`` of the items of a top-level list (a catalogue's ``items``)."""
        return {f"{key}[{path[1]}]": line for path, line in self.lines.items()
                if len(path) == 2 and path[0] == key and isinstance(path[1], int)}


@dataclass
class Parsed:
    """One YAML document: its text, the data built from it and the line of each key."""

    text: str
    data: object
    lines: KeyLines


def _node_lines(root, first_line: int) -> dict:
    lines: dict = {}
    seen: set = set()
    stack: list[tuple[yaml.Node, tuple]] = [(root, ())]
    while stack:
        node, path = stack.pop()
        if id(node) in seen:   # an alias: its keys are where the anchor is
            continue
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                if isinstance(key, yaml.ScalarNode):
                    here = path + (key.value,)
                    lines.setdefault(here, first_line + key.start_mark.line)
                    stack.append((value, here))
        elif isinstance(node, yaml.SequenceNode):
            for i, item in enumerate(node.value):
                here = path + (i,)
                lines[here] = first_line + item.start_mark.line
                stack.append((item, here))
    return lines


def read_yaml(path, report) -> Parsed | None:
    """A YAML file parsed once with its key lines, or None once ``report`` has the reason."""
    try:
        return parse_yaml(read_text(path))
    except SourceError as exc:
        report.error(path, exc.line, exc.message, exc.hint)
        return None


def read_yaml_file(path, report):
    """``(text, data)`` of a YAML file, or None once ``report`` has the reason (file:line, hint)."""
    parsed = read_yaml(path, report)
    return None if parsed is None else (parsed.text, parsed.data)


def load_yaml(text: str, first_line: int = 1):
    """Parse one YAML document; ``first_line`` is the file line where ``text`` starts."""
    return parse_yaml(text, first_line, lines=False).data


def parse_yaml(text: str, first_line: int = 1, lines: bool = True) -> Parsed:
    """Parse one YAML document into its data and (``lines``) the line of every key, in one pass:
    the node tree libyaml composes is both constructed and walked for positions."""
    try:
        _check_yaml_shape(text, first_line)
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
        return Parsed(text, data, KeyLines(_node_lines(node, first_line) if lines and node is not None else {},
                                           first_line))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        problem = exc.problem or exc.context or "语法错误"
        raise SourceError(line, f"YAML 语法错误：{problem}",
                          "检查缩进、冒号后的空格和引号是否成对；含冒号或 # 的值请加引号") from None
    except yaml.YAMLError as exc:
        raise SourceError(first_line, f"YAML 无法解析：{exc}", "检查该文件的 YAML 语法") from None
    except (ValueError, TypeError, OverflowError) as exc:  # e.g. a date that does not exist: 2026-13-01
        raise SourceError(_bad_date_line(text, first_line), f"YAML 中有无法识别的值：{exc}",
                          "检查日期是否存在（月份 1–12，日期不超过当月天数）；写成 YYYY-MM-DD HH:MM") from None


def key_line(text: str, key: str, first_line: int = 1) -> int:
    """The file line of a top-level ``key:`` in a YAML text (``first_line`` if not found or unreadable).

    For callers that kept only the text; a loader keeps :class:`KeyLines` from its one parse."""
    try:
        return parse_yaml(text, first_line).lines.line(key)
    except SourceError:
        return first_line


def split_front_matter(text: str):
    """Split ``---`` front matter from a Markdown text.

    Returns ``(front_matter_text, body, body_first_line)``. The front matter starts on line 2.
    """
    if not text.startswith("---"):
        raise SourceError(1, "缺少 front matter（文件应以 --- 开头）",
                          "在文件开头写：---，title: 标题，date: YYYY-MM-DD HH:MM，---")
    first = text.split("\n", 1)
    if first[0].strip() != "---":
        raise SourceError(1, "front matter 的第一行只能是 ---", "把 --- 单独放在第一行")
    rest = first[1] if len(first) > 1 else ""
    match = re.search(r"^(---|\.\.\.)[ \t]*$", rest, re.M)
    if not match:
        raise SourceError(1, "front matter 没有结束的 --- 行", "在元数据之后加一行 ---，再写正文")
    fm = rest[: match.start()]
    body = rest[match.end():]
    if body.startswith("\n"):
        body = body[1:]
    body_line = 2 + fm.count("\n") + 1
    return fm, body, body_line
