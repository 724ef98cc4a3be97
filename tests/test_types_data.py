"""Open data sets (S7, DA-2): the page shows facts measured from the files, the catalogue lists
every data set with a DCAT JSON-LD companion, and bad metadata stops the build at file:line."""
from __future__ import annotations

import hashlib
import json
import re

CSV = "企业名称,注册资本\n甲公司,100\n乙公司,\"200\"\n丙公司,300\n"
SCHEMA = "[{field: 企业名称, type: 字符串}, {field: 注册资本, type: 数值, unit: 万元, description: 认缴}]"


def dataset(project, name="ds", csv=CSV, **over):
    """A complete data set page sjkf/<name>.md with <name>.csv beside it; fields start at line 4."""
    project.column("sjkf", "数据开放", type="数据开放", source="区大数据中心", views="[data_catalogue]")
    if csv is not None:
        project.write(f"content/t/sjkf/{name}.csv", csv.encode("utf-8") if isinstance(csv, str) else csv)
    fields = dict(type="dataset", dataset_id=f"T-{name}", publisher="区市场监管局", topic="市场监管",
                  open_level="无条件开放", category="企业／市场主体", formats="[csv]",
                  files=f"[{{path: {name}.csv, title: 企业名录数据}}]", update_frequency="月",
                  last_updated="2026-05-20", status="有效", schema=SCHEMA,
                  keywords="[企业, 名录]", description="本区企业名称和注册资本。")
    fields.update(over)
    fields = {k: v for k, v in fields.items() if v is not None}
    project.page(f"sjkf/{name}.md", f"企业名录{name}", date="2026-05-20 09:00", **fields)
    return list(fields)


def line_of(keys, key):
    return 4 + keys.index(key)


def test_page_shows_size_digest_and_rows_measured_from_the_file(project):
    dataset(project)
    assert project.build().exit_code == 0
    html = project.html("sjkf/ds.html")
    data = CSV.encode("utf-8")
    assert hashlib.sha256(data).hexdigest() in html
    assert f'<data value="{len(data)}">' in html
    found = re.search(r'<tr><th scope="row"><a href="ds.csv"[^>]*>企业名录数据</a></th>(.*?)</tr>', html)
    assert found, "no row for ds.csv"
    row = found.group(1)
    assert "<td>CSV</td>" in row and "<td>3</td>" in row  # three records after the header
    assert "数据集编号</th><td>T-ds</td>" in html and "区市场监管局" in html
    assert '<span class="tag status-valid">有效</span>' in html
    # the schema table (after the body), accessible
    assert '<th scope="row">注册资本</th><td>数值</td><td>万元</td><td>认缴</td>' in html
    assert project.out("sjkf/ds.csv").read_bytes() == data


def test_csv_rows_count_quoted_newlines_and_gb18030(project):
    text = "名称,说明\n甲,\"第一行\n第二行\"\n乙,无\n\n"
    dataset(project, csv=text.encode("gb18030"), schema="[名称, 说明]")
    assert project.build().exit_code == 0
    html = project.html("sjkf/ds.html")
    assert "<td>2</td>" in html
    assert hashlib.sha256(text.encode("gb18030")).hexdigest() in html


def test_catalogue_lists_data_sets_and_links_dcat_json(project):
    dataset(project, "a")
    dataset(project, "b", status="过期失效", expires="2026-05-25")
    assert project.build().exit_code == 0
    html = project.html("sjkf/datasets.html")
    assert "<caption class=\"visually-hidden\">数据开放目录：" in html and '<th scope="col">数据提供单位</th>' in html
    assert '<select name="status">' in html and 'data-status="过期失效"' in html
    assert '<a href="a.html">企业名录a</a>' in html and '<a href="b.html">企业名录b</a>' in html
    assert html.count('<span class="tag status-repealed">过期失效</span>') == 1
    assert '<a href="catalog.json" type="application/ld+json">' in html
    assert 'rel="alternate" type="application/ld+json"' in html
    # the column page links the generated page
    assert "datasets.html" in project.html("sjkf/index.html")

    catalog = json.loads(project.out("sjkf/catalog.json").read_text(encoding="utf-8"))
    assert catalog["@type"] == "dcat:Catalog"
    assert catalog["@context"]["dcat"] == "http://www.w3.org/ns/dcat#"
    assert catalog["dct:modified"] == "2026-05-20"
    first, second = catalog["dcat:dataset"]
    assert [first["dct:identifier"], second["dct:identifier"]] == ["T-a", "T-b"]
    assert first["@type"] == "dcat:Dataset"
    assert first["dct:title"] == "企业名录a" and first["dct:description"] == "本区企业名称和注册资本。"
    assert first["dct:publisher"]["foaf:name"] == "区市场监管局"
    assert first["dct:issued"] == "2026-05-20" and first["dct:modified"] == "2026-05-20"
    assert first["dcat:keyword"] == sorted(["企业", "名录"]) and first["dcat:theme"] == "市场监管"
    assert first["dct:accrualPeriodicity"] == "http://purl.org/cld/freq/monthly"
    assert first["dcat:landingPage"] == "https://www.ceshi.gov.cn/sjkf/a.html"
    assert first["adms:status"] == "有效" and second["adms:status"] == "过期失效"
    [dist] = first["dcat:distribution"]
    data = CSV.encode("utf-8")
    assert dist["@type"] == "dcat:Distribution"
    assert dist["dcat:downloadURL"] == "https://www.ceshi.gov.cn/sjkf/a.csv"
    assert dist["dcat:mediaType"] == "text/csv" and dist["dcat:byteSize"] == len(data)
    assert dist["spdx:checksum"]["spdx:algorithm"] == "spdx:checksumAlgorithm_sha256"
    assert dist["spdx:checksum"]["spdx:checksumValue"] == hashlib.sha256(data).hexdigest()

    # every compact term (and compact value such as spdx:checksumAlgorithm_sha256) uses a declared prefix
    def terms(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key != "@context":
                    yield key
                    yield from terms(value)
        elif isinstance(node, list):
            for item in node:
                yield from terms(item)
        elif isinstance(node, str) and re.fullmatch(r"[a-z]+:[A-Za-z_0-9]+", node):
            yield node
    prefixes = {t.split(":", 1)[0] for t in terms(catalog) if not t.startswith("@")}
    assert prefixes <= set(catalog["@context"]), prefixes - set(catalog["@context"])


def test_catalogue_json_is_deterministic_across_builds(project):
    dataset(project, "b")
    dataset(project, "a")
    assert project.build().exit_code == 0
    first = project.out("sjkf/catalog.json").read_bytes()
    assert project.build().exit_code == 0
    assert project.out("sjkf/catalog.json").read_bytes() == first
    assert first.index(b'"T-a"') < first.index(b'"T-b"')


def test_expires_date_marks_the_data_set_expired_in_lists_and_on_the_page(project):
    dataset(project, expires="2026-05-31")
    assert project.build().exit_code == 0                        # NOW is 2026-06-01 12:00
    html = project.html("sjkf/ds.html")
    assert '<span class="tag status-repealed">过期失效</span>' in html
    assert "本数据集已过期失效" in html and "2026-05-31起" in html
    assert '<span class="tag status-repealed">过期失效</span>' in project.html("sjkf/index.html")
    # the day before it expires, it is still valid
    assert project.build(now="2026-05-30 12:00").exit_code == 0
    assert '<span class="tag status-valid">有效</span>' in project.html("sjkf/ds.html")
    assert "本数据集已过期失效" not in project.html("sjkf/ds.html")


def test_written_expired_status_shows_badge(project):
    dataset(project, status="过期失效", status_date="2026-04-01")
    assert project.build().exit_code == 0
    assert '<span class="tag status-repealed">过期失效</span>' in project.html("sjkf/index.html")
    assert "（2026-04-01起）" in project.html("sjkf/ds.html")


def test_missing_file_is_an_error_at_the_files_line(project):
    keys = dataset(project, csv=None)
    result = project.build()
    assert result.exit_code == 1
    assert f"content/t/sjkf/ds.md:{line_of(keys, 'files')}: 错误: [DA-2]" in result.output
    assert "files（数据文件）中的文件「ds.csv」不存在" in result.output
    assert not project.out().exists()


def test_written_rows_and_digest_must_match_the_file(project):
    keys = dataset(project, files="[{path: ds.csv, rows: 5, sha256: abc}]")
    result = project.build()
    assert result.exit_code == 1
    where = f"content/t/sjkf/ds.md:{line_of(keys, 'files')}"
    assert f"{where}: 错误: [DA-2]" in result.output
    assert "rows（记录数）写为「5」，实际文件为「3」" in result.output
    assert "sha256（SHA-256）写为「abc」" in result.output


def test_bad_metadata_is_reported_with_lines(project):
    keys = dataset(project, update_frequency="半月", status="停用", publisher=None,
                   files="[{path: ds.csv, format: pdf}]")
    result = project.build()
    assert result.exit_code == 1
    out = result.output
    assert f"ds.md:{line_of(keys, 'update_frequency')}: 错误: [DA-2] update_frequency（更新频率）的值「半月」无效" in out
    assert "可选：实时、日、周、月、季、年、不定期" in out
    assert f"ds.md:{line_of(keys, 'status')}: 错误: [DA-2] status（数据状态）的值「停用」无效" in out
    assert "缺少必填字段 publisher（数据提供单位）" in out
    assert "格式「pdf」不是机器可读的开放格式" in out


def test_formats_must_cover_the_files(project):
    keys = dataset(project, formats="[json]")
    result = project.build()
    assert result.exit_code == 1
    assert f"ds.md:{line_of(keys, 'formats')}: 错误: [DA-2] formats（数据格式）没有列出数据文件的格式「csv」" in result.output


def test_schema_that_disagrees_with_the_csv_header_is_a_warning(project):
    keys = dataset(project, schema="[企业名称, 法定代表人]")
    result = project.build()
    assert result.exit_code == 0
    assert f"ds.md:{line_of(keys, 'schema')}: 警告: [DA-2]" in result.output
    assert "文件中没有 schema 所列的字段：法定代表人" in result.output and "schema 未说明的列：注册资本" in result.output


def test_check_skips_staleness_of_expired_data_sets(project):
    """DA-2 staleness is a `govsite check` finding, never a build error, and not for expired data."""
    from checkfix import check, found

    dataset(project, last_updated="2026-01-05")
    assert project.build().exit_code == 0                       # stale, but the build passes
    assert found(check(project), "DA-2")
    dataset(project, last_updated="2026-01-05", expires="2026-03-01")
    assert not found(check(project), "DA-2")


def test_demo_data_sets(demo):
    html = (demo / "sjfb/sjkf/2026-03-31-bmfwz.html").read_text(encoding="utf-8")
    data = (demo / "sjfb/sjkf/bmfwz.csv").read_bytes()
    assert hashlib.sha256(data).hexdigest() in html and "本数据集已过期失效" in html
    catalogue = (demo / "sjfb/sjkf/datasets.html").read_text(encoding="utf-8")
    assert catalogue.count("status-repealed") == 1 and catalogue.count("status-valid") == 2
    catalog = json.loads((demo / "sjfb/sjkf/catalog.json").read_text(encoding="utf-8"))
    assert len(catalog["dcat:dataset"]) == 3
    assert all(d["dcat:distribution"][0]["dcat:downloadURL"].startswith("https://www.jinglan.gov.cn/sjfb/sjkf/")
               for d in catalog["dcat:dataset"])


def test_data_file_must_be_beside_the_page(project):
    project.write("content/t/xxgk/elsewhere.csv", CSV)
    keys = dataset(project, files="[{path: ../xxgk/elsewhere.csv}]")
    result = project.build()
    assert result.exit_code == 1
    assert f"ds.md:{line_of(keys, 'files')}: 错误: [DA-2] files（数据文件）中的文件「../xxgk/elsewhere.csv」不在页面所在的目录中" \
        in result.output


def test_csv_that_is_not_text_is_an_error(project):
    keys = dataset(project, csv=b"\x81\x00\xff\xfe\x80" * 10)
    result = project.build()
    assert result.exit_code == 1
    assert f"ds.md:{line_of(keys, 'files')}: 错误: [DA-2] files（数据文件）中的文件「ds.csv」不是可读的 CSV 文本" in result.output


def test_each_file_is_measured_once_per_build_and_again_next_build(project, monkeypatch):
    from govsite.site.types import dataset as module

    calls = []
    real = module.csv_rows

    def counted(path):
        calls.append(path)
        return real(path)

    monkeypatch.setattr(module, "csv_rows", counted)
    dataset(project, "a", files="[{path: shared.csv}]")
    dataset(project, "b", csv=None, files="[{path: shared.csv}]")
    project.write("content/t/sjkf/shared.csv", CSV)
    assert project.build().exit_code == 0
    assert len(calls) == 1
    project.write("content/t/sjkf/shared.csv", CSV + "丁公司,400\n")
    assert project.build().exit_code == 0
    assert len(calls) == 2                                   # nothing kept from the last build
    assert "<td>4</td>" in project.html("sjkf/b.html")


def test_english_site_shows_the_data_set_page_in_english(project):
    project.configure("language: en\n")
    dataset(project, expires="2026-05-31")
    assert project.build().exit_code == 0
    html = project.html("sjkf/ds.html")
    assert "<h2 id=\"dataset-files-title\">Downloads</h2>" in html and "This data set has expired" in html
    assert "数据下载" not in html
    assert "Machine-readable catalogue: " in project.html("sjkf/datasets.html")
