"""The text drawn on the pages of a PDF made by core.pdf, for the tests: page streams,
compressed as people download them (ASCII85 then Flate, ReportLab's way) or not, WinAnsi strings
with octal escapes."""

import base64
import re
import zlib


def _decoded(raw: bytes) -> bytes:
    if not raw.rstrip().endswith(b"~>"):
        return raw
    return zlib.decompress(base64.a85decode(re.sub(rb"\s", b"", raw)[:-2]))


def _streams(pdf: bytes) -> list[bytes]:
    return [_decoded(raw) for raw in re.findall(rb"stream\r?\n(.*?)\s*endstream", pdf, re.DOTALL)]


def shown_strings(pdf: bytes) -> list[str]:
    """The strings drawn on the pages, in order."""
    strings = []
    for stream in _streams(pdf):
        for raw in re.findall(rb"\(((?:[^()\\]|\\.)*)\) Tj", stream):
            unescaped = re.sub(rb"\\([0-7]{3})", lambda m: bytes([int(m.group(1), 8)]), raw)
            unescaped = re.sub(rb"\\(.)", rb"\1", unescaped)
            strings.append(unescaped.decode("cp1252"))
    return strings


def shown_text(pdf: bytes) -> str:
    return " ".join(shown_strings(pdf))
