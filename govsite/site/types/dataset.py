"""开放数据集 (S7): a data set's catalogue record, with facts about its files measured at build time.

An open-data page (数据开放) describes files published beside it. What a user needs to trust a
download — format, size, SHA-256 digest, number of records — is measured from the files during
the build, never typed by hand, so the page cannot drift from the data (DA-2: machine-readable,
with a published catalogue). A value the editor did write (``rows``, ``bytes``, ``sha256``) is
compared with the measured one and a mismatch stops the build, because it means the page or the
file is not the one the publisher reviewed.

Status (DA-2 "expired data marked as expired"): ``status: 有效 | 过期失效`` as written, and a data
set whose ``expires`` date (失效日期) has passed at build time is shown as 过期失效 without editing
it. Staleness against ``update_frequency`` is *not* a status: it depends on the calendar, so
``govsite check`` reports it (DA-2 warning in builds) and a build never fails because time passed.
"""
from __future__ import annotations

import csv
import hashlib
import posixpath

from govsite.config.schema import DATE, LIST, MAP, RECORDS, TEXT, Field, Schema
from govsite.content.model import Asset
from govsite.site.types.fields import Fields

NAME = "dataset"
LABEL = "开放数据集"
VALID = "有效"
EXPIRED = "过期失效"
STATUSES = (VALID, EXPIRED)
STATUS_MEANINGS = {VALID: "valid", EXPIRED: "repealed"}   # 过期失效: no longer to be used, like a repealed rule
FREQUENCIES = ("实时", "日", "周", "月", "季", "年", "不定期")
# machine-readable formats (SPEC DA-2) and their media types, for the page and the DCAT catalogue
MEDIA_TYPES = {
    "csv": "text/csv",
    "json": "application/json",
    "xml": "application/xml",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "xls": "application/vnd.ms-excel",
}
FORMATS = tuple(MEDIA_TYPES)
RULE = "DA-2"
_CHUNK = 1 << 20


FIELDS = Schema(NAME, (
    Field("dataset_id", TEXT, "数据集编号", required=True, rule=RULE),
    Field("publisher", TEXT, "数据提供单位", required=True, rule=RULE),
    Field("topic", TEXT, "数据领域", required=True, rule=RULE),
    Field("open_level", TEXT, "开放属性", required=True, rule=RULE),
    Field("category", TEXT, "数据分类", required=True, rule=RULE),
    Field("resource_code", TEXT, "资源目录代码", rule=RULE),
    Field("api", TEXT, "数据接口", rule=RULE),
    Field("update_frequency", TEXT, "更新频率", choices=FREQUENCIES, required=True, rule=RULE),
    Field("last_updated", DATE, "最近更新日期", required=True, rule=RULE),
    Field("expires", DATE, "失效日期", rule=RULE),
    Field("status", TEXT, "数据状态", choices=STATUSES, required=True, rule=RULE),
    Field("status_date", DATE, "状态变更日期", rule=RULE),
    Field("license", TEXT, "使用许可", rule=RULE),
    Field("coverage", MAP, "覆盖范围", rule=RULE, doc="time, area"),
    Field("schema", RECORDS, "数据项说明", required=True, rule=RULE, doc="field, type, unit, description"),
    Field("files", RECORDS, "数据文件", required=True, rule=RULE, doc="path, format, …"),
    Field("formats", LIST, "数据格式", rule=RULE),
))


def read(f: Fields, site) -> dict:
    info = {
        **f.values(FIELDS, "dataset_id", "publisher", "topic", "open_level", "category", "resource_code", "api",
                         "update_frequency", "last_updated", "expires", "status", "status_date", "license"),
        "coverage": _coverage(f),
        "schema": _schema(f),
        "files": _files(f, site),
    }
    info["formats"] = _formats(f, info["files"], info["api"])
    if info["api"] and not info["api"].startswith(("http://", "https://")):
        f.error("api", f"api（数据接口）「{info['api']}」不是完整网址", "写 https:// 开头的接口地址", RULE)
    _check_headers(f, info)
    return info


def link(site, pages, report) -> None:
    """Each data set's status as of the build time: written 过期失效, or past its ``expires`` date."""
    for page in pages:
        if page.type != NAME or not page.info:
            continue
        info = page.info
        if info["status"] == EXPIRED:
            page.status, page.status_date = EXPIRED, info["status_date"] or info["expires"]
        elif info["expires"] and site.clock.reached(info["expires"]):
            page.status, page.status_date = EXPIRED, info["expires"]
        else:
            page.status, page.status_date = VALID, None


# -- fields ------------------------------------------------------------------------------------
def _coverage(f: Fields) -> dict:
    """``coverage: {time, area}`` (时间范围, 空间范围); a plain text is read as the time range."""
    value = f.data.get("coverage")
    if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value).strip():
        return {"time": str(value).strip(), "area": ""}
    data = f.value(FIELDS, "coverage")
    return {"time": f.text("coverage.time", "时间范围", data=data),
            "area": f.text("coverage.area", "空间范围", data=data)} if data else {}


def _schema(f: Fields) -> list[dict]:
    """``schema: [{field, type, unit, description}]`` — the 数据项 table; a bare name is a field."""
    value = f.data.get("schema")
    if value in (None, "", []):
        f.missing("schema", "数据项说明", "例如 schema:\n  - field: 站点名称\n    type: 字符串\n    description: …", RULE)
        return []
    if not isinstance(value, list):
        f.error("schema", "schema（数据项说明）应是列表", "每项以 - 开头，写 field、type、unit、description", RULE)
        return []
    out, seen = [], set()
    for item in value:
        if isinstance(item, (str, int, float)) and not isinstance(item, bool):
            item = {"field": item}
        if not isinstance(item, dict) or item.get("field") in (None, ""):
            f.error("schema", "schema（数据项说明）的每一项应写明 field（字段名）",
                    "例如 - field: 泊位数\n    type: 整数\n    unit: 个", RULE)
            continue
        row = {key: "" if item.get(key) is None else str(item.get(key)).strip()
               for key in ("field", "type", "unit", "description")}
        unknown = sorted(set(map(str, item)) - {"field", "type", "unit", "description"})
        if unknown:
            f.error("schema", f"schema（数据项说明）中字段「{row['field']}」有未知的键：{'、'.join(unknown)}",
                    "可用的键：field、type、unit、description", RULE)
        if row["field"] in seen:
            f.error("schema", f"schema（数据项说明）中字段「{row['field']}」重复", "每个字段只写一次", RULE)
            continue
        seen.add(row["field"])
        out.append(row)
    return out


def _files(f: Fields, site) -> list[dict]:
    """``files: [{path, format}]``: each file must be beside the page; size, digest, rows measured."""
    records = f.value(FIELDS, "files")
    here = posixpath.dirname(f.page.src)
    out: list[dict] = []
    for item in records:
        ref = str(item.get("path") or item.get("file") or "").strip()
        if not ref:
            f.error("files", "files（数据文件）的每一项应写明 path（文件名）", "例如 files:\n  - path: tcc.csv\n    format: csv", RULE)
            continue
        asset = f.target(ref)
        if not isinstance(asset, Asset):
            f.error("files", f"files（数据文件）中的文件「{ref}」不存在",
                    "把数据文件放在页面同一目录，或改正 path 中的文件名", RULE)
            continue
        if not asset.src.startswith(here + "/"):
            f.error("files", f"files（数据文件）中的文件「{ref}」不在页面所在的目录中",
                    "数据文件与数据集页面放在同一目录（或其子目录），path 写相对于页面的文件名", RULE)
            continue
        ext = posixpath.splitext(ref)[1].lstrip(".").lower()
        fmt = str(item.get("format") or ext).strip().lower()
        if fmt not in MEDIA_TYPES:
            f.error("files", f"files（数据文件）中「{ref}」的格式「{fmt}」不是机器可读的开放格式",
                    "可选：" + "、".join(FORMATS) + "（PDF、图片不能作为开放数据）", RULE)
            continue
        if ext != fmt:
            f.error("files", f"files（数据文件）中「{ref}」的扩展名与格式「{fmt}」不一致",
                    f"把 format 改为 {ext}，或改正文件名", RULE)
            continue
        measured = measure(asset, fmt, _digests(site))
        if measured is None:
            f.error("files", f"files（数据文件）中的文件「{ref}」无法读取", "检查文件权限", RULE)
            continue
        if fmt == "csv" and measured["rows"] is None:
            f.error("files", f"files（数据文件）中的文件「{ref}」不是可读的 CSV 文本",
                    "以 UTF-8（或 GB18030）编码另存为逗号分隔的 CSV 文件", RULE)
            continue
        for key, name in (("bytes", "字节数"), ("sha256", "SHA-256"), ("rows", "记录数")):
            written = item.get(key)
            if written in (None, ""):
                continue
            actual = measured[key]
            if actual is None:
                continue  # rows are counted for CSV only
            if str(written).strip().lower() != str(actual):
                f.error("files", f"files（数据文件）中「{ref}」的 {key}（{name}）写为「{written}」，"
                                 f"实际文件为「{actual}」",
                        f"删去 {key}（govsite 会自动计算），或确认发布的是审核过的文件", RULE)
        out.append({"path": ref, "title": str(item.get("title") or "").strip() or posixpath.basename(ref),
                    "format": fmt, "media_type": MEDIA_TYPES[fmt], "out": asset.out, "asset": asset, **measured})
    return out


def _formats(f: Fields, files: list[dict], api: str) -> list[str]:
    """``formats`` as written (lower case), which must cover every file; derived when omitted."""
    used = sorted({d["format"] for d in files})
    written = [v.lower() for v in f.value(FIELDS, "formats")]
    if not written:
        return used
    bad = [v for v in written if v not in MEDIA_TYPES]
    if bad:
        f.error("formats", f"formats（数据格式）中的「{'、'.join(bad)}」不是机器可读的开放格式",
                "可选：" + "、".join(FORMATS), RULE)
    missing = [v for v in used if v not in written]
    if missing:
        f.error("formats", f"formats（数据格式）没有列出数据文件的格式「{'、'.join(missing)}」",
                f"写 formats: [{', '.join(used)}]，或删去 formats（按文件自动得出）", RULE)
    extra = [v for v in written if v in MEDIA_TYPES and v not in used]
    if extra and not api:
        f.error("formats", f"formats（数据格式）中的「{'、'.join(extra)}」没有对应的数据文件",
                "补充该格式的文件，或写明 api（数据接口），或从 formats 中删去", RULE)
    return sorted(set(written) | set(used))


def _check_headers(f: Fields, info: dict) -> None:
    """A CSV whose header lacks a documented field (or documents none of its columns) is a warning."""
    fields = [row["field"] for row in info["schema"]]
    if not fields:
        return
    for item in info["files"]:
        header = item.get("header")
        if not header:
            continue
        missing = [name for name in fields if name not in header]
        undocumented = [name for name in header if name not in fields]
        if missing or undocumented:
            parts = []
            if missing:
                parts.append("文件中没有 schema 所列的字段：" + "、".join(missing))
            if undocumented:
                parts.append("schema 未说明的列：" + "、".join(undocumented))
            f.report.warning(f.page.file, f.line("schema"), f"[{RULE}] 数据文件「{item['path']}」与数据项说明不一致，"
                             + "；".join(parts), "使 schema 的 field 与 CSV 表头一致", rule=RULE)


# -- measuring files ---------------------------------------------------------------------------
def _digests(site) -> dict:
    """Measurements made during this build, by source path: a file named by two pages is read once.

    Kept on the Site object (one per build), never in a module global, so a later build in the same
    process (tests, ``govsite serve``) reads the files again.
    """
    found = getattr(site, "_dataset_files", None)
    if found is None:
        found = {}
        site._dataset_files = found
    return found


def measure(asset: Asset, fmt: str, cache: dict | None = None) -> dict | None:
    """``{bytes, sha256, rows, header}`` of one file; ``rows``/``header`` only for CSV.

    Files are streamed (a data set may be hundreds of megabytes): one pass for the digest and,
    for CSV, one more to count records.
    """
    if cache is not None and asset.src in cache:
        return cache[asset.src]
    digest = hashlib.sha256()
    size = 0
    try:
        with open(asset.file, "rb") as handle:
            while chunk := handle.read(_CHUNK):
                digest.update(chunk)
                size += len(chunk)
        rows, header = csv_rows(asset.file) if fmt == "csv" else (None, [])
    except OSError:
        return None
    result = {"bytes": size, "sha256": digest.hexdigest(), "rows": rows, "header": header}
    if cache is not None:
        cache[asset.src] = result
    return result


def csv_rows(path) -> tuple[int | None, list[str]]:
    """Records after the header row (blank lines ignored) and the header; UTF-8 or GB18030 text.

    Quoted fields may contain line breaks, so records are counted by the csv module, not by lines.
    ``(None, [])`` when the file is neither encoding or not CSV at all.
    """
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            with open(path, encoding=encoding, newline="") as handle:
                header: list[str] = []
                count = 0
                for record in csv.reader(handle):
                    if not any(cell.strip() for cell in record):
                        continue
                    if not header:
                        header = [cell.strip() for cell in record]
                    else:
                        count += 1
                return (count if header else 0), header
        except UnicodeDecodeError:
            continue
        except csv.Error:
            return None, []
    return None, []
