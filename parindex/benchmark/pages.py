"""Page weight: the bytes a browser receives for one page and the static files it loads."""

from __future__ import annotations

import http.client
import re
from dataclasses import dataclass

ASSET = re.compile(r"""<(?:script[^>]*\bsrc|link[^>]*\bhref)=["']([^"']+)["']""")


@dataclass(frozen=True)
class Weight:
    transferred: int  # bytes on the wire (compressed where the server compresses)
    uncompressed: int
    files: int


def fetch(port: int, path: str) -> tuple[int, int, str]:
    """GET ``path`` as a browser does (gzip, br accepted); return (wire bytes, bytes, text)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path, headers={"Accept-Encoding": "gzip, br"})
    response = connection.getresponse()
    body = response.read()
    connection.close()
    if response.status != 200:
        raise RuntimeError(f"{path}: {response.status}")
    encoding = response.getheader("Content-Encoding", "")
    if encoding == "gzip":
        import gzip

        plain = gzip.decompress(body)
    elif encoding == "br":
        plain = b""  # not decoded here: the uncompressed figure counts the wire bytes then
    else:
        plain = body
    html = response.getheader("Content-Type", "").startswith("text/html")
    text = plain.decode("utf-8", "replace") if html else ""
    return len(body), len(plain) or len(body), text


def page_weight(port: int, path: str) -> Weight:
    """Return the weight of ``path`` and of the same-site scripts and stylesheets it loads."""
    wire, plain, html = fetch(port, path)
    assets = sorted({a for a in ASSET.findall(html) if a.startswith("/")})
    total_wire, total_plain = wire, plain
    for asset in assets:
        asset_wire, asset_plain, _text = fetch(port, asset)
        total_wire += asset_wire
        total_plain += asset_plain
    return Weight(total_wire, total_plain, 1 + len(assets))
