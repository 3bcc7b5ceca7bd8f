"""The text a reportlab PDF draws with the CID font (UTF-16 strings in its content streams)."""
import base64
import re
import zlib

_STREAM = re.compile(rb"<<((?:(?!<<|stream).)*?)>>\s*stream\r?\n(.*?)\r?\n?endstream", re.S)
_ESCAPES = {ord("n"): 10, ord("r"): 13, ord("t"): 9, ord("b"): 8, ord("f"): 12}


def _decode(info: bytes, raw: bytes) -> bytes:
    if b"ASCII85Decode" in info:
        raw = base64.a85decode(raw.strip().removesuffix(b"~>"), adobe=False)
    if b"FlateDecode" in info:
        raw = zlib.decompress(raw)
    return raw


def _literal(content: bytes, start: int) -> tuple[bytes, int]:
    out, depth, i = bytearray(), 1, start
    while i < len(content):
        c = content[i]
        if c == 0x5C:  # backslash
            nxt = content[i + 1]
            if 0x30 <= nxt <= 0x37:
                digits = re.match(rb"[0-7]{1,3}", content[i + 1:i + 4]).group(0)
                out.append(int(digits, 8))
                i += 1 + len(digits)
                continue
            out.append(_ESCAPES.get(nxt, nxt))
            i += 2
            continue
        if c == 0x28:
            depth += 1
        elif c == 0x29:
            depth -= 1
            if depth == 0:
                return bytes(out), i + 1
        out.append(c)
        i += 1
    return bytes(out), i


def pdf_text(data: bytes) -> str:
    """Every string shown with Tj, decoded from UTF-16, one per line."""
    lines = []
    for match in _STREAM.finditer(data):
        try:
            content = _decode(match.group(1), match.group(2))
        except (ValueError, zlib.error):
            continue
        i = 0
        while (i := content.find(b"(", i)) != -1:
            text, i = _literal(content, i + 1)
            if content[i:i + 4].strip().startswith(b"Tj"):
                lines.append(text.decode("utf-16-be", errors="replace"))
    return "\n".join(lines)
