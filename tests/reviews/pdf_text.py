"""The text of a PDF that WeasyPrint wrote, for tests (no PDF package is installed).

WeasyPrint writes Flate-compressed streams: page contents show glyph ids (`[<002b>0<0048>]
TJ`) in subset fonts named `/ABCDEF`, and each font's ToUnicode CMap (`<002b> <0048>`)
says which character a glyph id is. This reads exactly that much of the format: enough to
assert that a word is in the PDF (or is not), not a general PDF parser.
"""

from __future__ import annotations

import re
import zlib

_STREAM = re.compile(rb"(\d+) 0 obj\s*<<(.*?)>>\s*stream\r?\n", re.S)
_FONT = re.compile(rb"/BaseFont /([A-Z]{6})\+.*?/ToUnicode (\d+) 0 R", re.S)
_PAIR = re.compile(rb"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>")
_OPERATION = re.compile(rb"/([A-Z]{6}) [\d.]+ Tf|\[(.*?)\] TJ|( Tm| Td)\n", re.S)


def _streams(pdf: bytes) -> dict[int, bytes]:
    found = {}
    for match in _STREAM.finditer(pdf):
        length = int(re.search(rb"/Length (\d+)", match.group(2)).group(1))  # type: ignore[union-attr]
        raw = pdf[match.end() : match.end() + length]
        found[int(match.group(1))] = (
            zlib.decompress(raw) if b"FlateDecode" in match.group(2) else raw
        )
    return found


def _cmap(data: bytes) -> dict[int, str]:
    return {
        int(glyph, 16): bytes.fromhex(text.decode()).decode("utf-16-be")
        for glyph, text in _PAIR.findall(data.split(b"endcodespacerange", 1)[-1])
    }


def pdf_text(pdf: bytes) -> str:
    """The text of every page, a line per positioned run."""
    assert pdf.startswith(b"%PDF-"), "not a PDF"
    streams = _streams(pdf)
    every = b"\n".join(streams.values())
    fonts = {name: _cmap(streams[int(number)]) for name, number in _FONT.findall(every)}
    parts: list[str] = []
    font: dict[int, str] = {}
    for content in streams.values():
        for match in _OPERATION.finditer(content):
            if match.group(1):
                font = fonts.get(match.group(1), {})
            elif match.group(2) is not None:
                glyphs = re.findall(rb"<([0-9a-fA-F]+)>", match.group(2))
                parts.append("".join(font.get(int(glyph, 16), "") for glyph in glyphs))
            else:
                parts.append("\n")
    return re.sub(r"\n+", "\n", "".join(parts))
