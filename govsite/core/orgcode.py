"""Organisation codes (机构代码) of the bodies that publish government information.

A 索引号 starts with the code of the organ that publishes the document, so a wrong character
there files the document under nobody. Two national standards define the codes a government
body has, each with a check character that catches one wrong or swapped character:

- **统一社会信用代码** (unified social credit code), GB 32100-2015: 18 characters — 登记管理部门码
  (1: ``1`` = 机构编制 for 机关), 机构类别码 (1: ``1`` = 机关), 登记管理机关行政区划码 (6 digits),
  主体标识码 (9: the body's 组织机构代码, with its own GB 11714 check character) and a check
  character over the first 17, from the 31-character alphabet without I, O, S, V, Z.
- **组织机构代码** (organisation code), GB 11714-1997: 8 body characters (digits or capital
  letters) and a check character (a digit or ``X``). It is commonly written with a hyphen before
  the check character (``12345678-9``); :func:`normalise` removes it.

:func:`organisation_code` gives the 9-character form every valid code contains (the 索引号 prefix).
:func:`problem` says in Chinese what is wrong with a written code ("" when it is valid);
messages add the file, line and rule id.
"""
from __future__ import annotations

import re

# GB 32100-2015: the code alphabet (value = index) and the weights of positions 1-17
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
USCC_LENGTH = 18
# GB 11714-1997: weights of the 8 body characters; a letter counts A = 10 … Z = 35
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
ORG_LENGTH = 9
_ORG_BODY = re.compile(r"^[0-9A-Z]{8}$")
_HYPHENATED = re.compile(r"^([0-9A-Z]{8})-([0-9X])$")


def normalise(code: str) -> str:
    """The code as the 索引号 writes it: trimmed, capital letters, no hyphen before a 组织机构代码's
    check character (``12345678-9`` → ``123456789``)."""
    text = str(code).strip().upper()
    match = _HYPHENATED.match(text)
    return match.group(1) + match.group(2) if match else text


def organisation_code(code: str) -> str:
    """The 9-character 组织机构代码 of a valid code: the code itself, or a 统一社会信用代码's
    主体标识码 (characters 9-17). The 索引号 prefix is always this form, so one site's numbers
    share one format whichever kind of code site.yaml gives for each issuer."""
    text = normalise(code)
    return text[8:17] if len(text) == USCC_LENGTH else text


def uscc_check(body: str) -> str:
    """The GB 32100-2015 check character of the first 17 characters of a 统一社会信用代码:
    31 − (Σ value × weight mod 31), 31 counting as 0, written with :data:`USCC_ALPHABET`."""
    total = sum(USCC_ALPHABET.index(ch) * w for ch, w in zip(body, USCC_WEIGHTS, strict=True))
    return USCC_ALPHABET[(31 - total % 31) % 31]


def org_check(body: str) -> str:
    """The GB 11714-1997 check character of the 8 body characters of a 组织机构代码:
    11 − (Σ value × weight mod 11); 10 is written ``X`` and 11 ``0``."""
    total = sum(int(ch, 36) * w for ch, w in zip(body, ORG_WEIGHTS, strict=True))
    value = 11 - total % 11
    return "X" if value == 10 else "0" if value == 11 else str(value)


def is_valid(code: str) -> bool:
    """True for a 统一社会信用代码 or a 组织机构代码 (hyphenated or not) whose check characters hold."""
    return not problem(code)


def problem(code: str) -> str:
    """What is wrong with a written code, in Chinese ("" when it is a valid code of either kind)."""
    text = normalise(code)
    if len(text) == USCC_LENGTH:
        bad = sorted({ch for ch in text if ch not in USCC_ALPHABET})
        if bad:
            return f"含有统一社会信用代码不使用的字符「{''.join(bad)}」（不用 I、O、S、V、Z）"
        expected = uscc_check(text[:17])
        if text[17] != expected:
            return f"校验码应为「{expected}」，写的是「{text[17]}」（GB 32100-2015）"
        inner = _org_problem(text[8:17])
        return f"第9至17位（主体标识码，即组织机构代码）{inner}" if inner else ""
    if len(text) == ORG_LENGTH:
        return _org_problem(text)
    return f"长度为 {len(text)} 位：统一社会信用代码为18位，组织机构代码为9位（可写作8位加连字符加校验码）"


def _org_problem(text: str) -> str:
    if not _ORG_BODY.match(text[:8]) or not re.match(r"^[0-9X]$", text[8]):
        return "格式不对：组织机构代码为8位数字或大写字母加1位校验码（数字或 X）"
    expected = org_check(text[:8])
    if text[8] != expected:
        return f"校验码应为「{expected}」，写的是「{text[8]}」（GB 11714-1997）"
    return ""
