"""Deployment outputs: precompressed files, and the shipped nginx configuration serving the demo
(nginx -t, then real requests on loopback and a CSP check in Chromium)."""
from __future__ import annotations

import gzip
import shutil
import socket
import subprocess
import time
import urllib.request

import pytest

from helpers import DEMO_NOW, REPO

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def test_precompress_writes_gz_beside_text_files(project):
    result = project.build("--precompress")
    assert result.exit_code == 0, result.output
    page = project.out("zwdt/gzdt/a.html")
    assert gzip.decompress(project.out("zwdt/gzdt/a.html.gz").read_bytes()) == page.read_bytes()
    assert project.out("static/css/site.css.gz").is_file() and project.out("rss.xml.gz").is_file()
    assert project.out("robots.txt").stat().st_size < 256 and not project.out("robots.txt.gz").exists()
    first = project.out("zwdt/gzdt/a.html.gz").read_bytes()
    assert project.build("--precompress").exit_code == 0
    assert project.out("zwdt/gzdt/a.html.gz").read_bytes() == first  # deterministic (no timestamp)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def nginx(tmp_path_factory):
    """The shipped server block, pointed at a precompressed demo build, on a loopback port."""
    from govsite.pipeline.build import BuildOptions, build_site

    work = tmp_path_factory.mktemp("nginx")
    build_site(REPO, "demo", work / "www", BuildOptions(now=DEMO_NOW, jobs=2, precompress=True))
    port = _free_port()
    server = (REPO / "deploy/nginx.conf").read_text(encoding="utf-8")
    server = server.replace("listen 80;", f"listen 127.0.0.1:{port};").replace("/srv/www/demo", str(work / "www/demo"))
    (work / "logs").mkdir()
    conf = work / "nginx.conf"
    conf.write_text(f"""daemon off;
master_process off;
pid {work}/nginx.pid;
error_log {work}/logs/error.log;
events {{}}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {work}/body; proxy_temp_path {work}/proxy; fastcgi_temp_path {work}/fcgi;
    uwsgi_temp_path {work}/uwsgi; scgi_temp_path {work}/scgi;
{server}
}}
""", encoding="utf-8")
    test = subprocess.run([NGINX, "-t", "-c", str(conf), "-p", str(work)], capture_output=True, text=True)
    assert test.returncode == 0, test.stderr
    proc = subprocess.Popen([NGINX, "-c", str(conf), "-p", str(work)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}/"
    for _ in range(100):
        try:
            urllib.request.urlopen(base, timeout=1)
            break
        except OSError:
            time.sleep(0.05)
    yield base
    proc.terminate()
    proc.wait(timeout=10)


def fetch(url, gzip_ok=False):
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzip_ok else {})
    try:
        response = urllib.request.urlopen(request, timeout=5)
    except urllib.error.HTTPError as err:
        return err.code, err.headers, err.read()
    return response.status, response.headers, response.read()


def test_nginx_serves_pages_with_headers_precompressed_files_and_404(nginx):
    status, headers, body = fetch(nginx)
    assert status == 200 and "景澜区人民政府" in body.decode("utf-8")
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "charset=utf-8" in headers["Content-Type"]
    status, headers, body = fetch(nginx + "zwdt/gzdt/index.html", gzip_ok=True)
    assert status == 200 and headers["Content-Encoding"] == "gzip"
    assert "工作动态" in gzip.decompress(body).decode("utf-8")
    status, headers, body = fetch(nginx + "static/css/site.css")
    assert status == 200 and "Content-Security-Policy" in headers and headers["Cache-Control"]
    status, headers, body = fetch(nginx + "no/such/page.html")
    assert status == 404 and "页面未找到" in body.decode("utf-8") and "Content-Security-Policy" in headers
    status, headers, body = fetch(nginx + "hdjl/zxft/jyft-pianduan.vtt")   # a video's captions (AX-1)
    assert status == 200 and headers["Content-Type"].startswith("text/vtt") and body.startswith(b"WEBVTT")
    assert "Content-Security-Policy" in headers


def test_nginx_csp_holds_in_chromium(browser, nginx):
    context = browser.new_context()
    context.add_init_script("window.__csp = []; document.addEventListener('securitypolicyviolation',"
                            " e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")
    page = context.new_page()
    for path in ["", "zwdt/gzdt/yshj-tjh.html", "search.html?q=营商环境", "sitemap.html", "no/such/page.html"]:
        page.goto(nginx + path)
        page.wait_for_load_state("load")
        if path.startswith("search"):
            page.wait_for_selector(".search-results .result")
        assert page.evaluate("window.__csp") == [], path
    context.close()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_nginx_answers_redirects_with_301_from_the_generated_map(nginx):
    """sites/demo/redirects.yaml → redirects.map, included by the shipped config: a real 301."""
    opener = urllib.request.build_opener(_NoRedirect)
    for old, location in [("art/2026/3/18/art_1229_3321.html", "/zwdt/gzdt/yshj-tjh.html"),
                          ("col/col1229/", "/zwdt/gzdt/"), ("col/col1229/index.html", "/zwdt/gzdt/"),
                          ("fgw/", "https://www.gov.cn/"), ("fgw", "https://www.gov.cn/")]:
        try:
            opener.open(nginx + old, timeout=5)
            raise AssertionError(f"{old}: no redirect")
        except urllib.error.HTTPError as err:
            assert err.code == 301, (old, err.code)
            assert err.headers["Location"].endswith(location) and (
                location.startswith("https:") or err.headers["Location"].startswith("http://127.0.0.1")), old
            assert "Content-Security-Policy" in err.headers
    status, _, body = fetch(nginx + "zwdt/gzdt/yshj-tjh.html")   # the target itself is served
    assert status == 200
    status, _, _ = fetch(nginx + "art/2026/3/18/other.html")        # only listed paths move
    assert status == 404
