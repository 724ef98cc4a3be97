"""Reading source files: UTF-8 text, YAML documents and Markdown front matter, with line numbers.

Every reader here returns data or raises :class:`SourceError` carrying the 1-based line of the
problem, so the loader can report ``path:line`` without knowing how the file was parsed.
"""
from __future__ import annotations

import re

import yaml

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
        line = data.count(b"\n", 0, exc.start) + 1
        raise SourceError(line, "文件不是 UTF-8 编码", "请在编辑器中以 UTF-8 编码另存该文件（不要使用 GBK/GB2312）") from None
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


def read_yaml_file(path, report):
    """``(text, data)`` of a YAML file, or None once ``report`` has the reason (file:line, hint)."""
    try:
        text = read_text(path)
        return text, load_yaml(text)
    except SourceError as exc:
        report.error(path, exc.line, exc.message, exc.hint)
        return None


def load_yaml(text: str, first_line: int = 1):
    """Parse one YAML document; ``first_line`` is the file line where ``text`` starts."""
    try:
        _check_yaml_shape(text, first_line)
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - CSafeLoader/SafeLoader only
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
    """The file line of a top-level ``key:`` in a YAML text (``first_line`` if not found)."""
    match = re.search(rf"^{re.escape(key)}\s*:", text, re.M)
    if not match:
        return first_line
    return first_line + text.count("\n", 0, match.start())


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
