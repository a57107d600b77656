"""Hostile inputs made for the tests."""

import zlib


def _pdf(objs: list[bytes]) -> bytes:
    out = b"%PDF-1.4\n"
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objs)+1}\n0000000000 65535 f \n".encode()
    for o in offsets:
        out += f"{o:010d} 00000 n \n".encode()
    out += f"trailer\n<< /Size {len(objs)+1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


def looping_pdf() -> bytes:
    """A PDF whose page tree contains itself (Kids -> the Pages node), and an object stream loop."""
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 2 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R >>",
            b"<< /Length 5 0 R >>\nstream\nBT /F1 12 Tf (x) Tj ET\nendstream",
            b"5 0 R",
        ]
    )


def slow_pdf(pages: int = 1500) -> bytes:
    """A small file that takes long to read: ``pages`` pages that all show one compressed
    content stream, a ruled table of 60 rows and 10 columns with a number in every cell (the
    borders drawn as thin filled rectangles, as Word and WPS draw them). About 20 KB; read in
    full, half a minute or more."""
    ops = [b"BT /F1 8 Tf ET"]
    for row in range(61):
        y = 780 - row * 12
        ops.append(b"0 0 0 rg 40 %d 520 0.5 re f" % y)
        if row < 60:
            for col in range(10):
                ops.append(b"BT /F1 8 Tf %d %d Td (%d) Tj ET" % (44 + col * 52, y - 9, row * 10 + col))
    for col in range(11):
        ops.append(b"%d 60 0.5 720 re f" % (40 + col * 52))
    stream = zlib.compress(b"\n".join(ops), 9)
    kids = " ".join(f"{5 + i} 0 R" for i in range(pages)).encode()
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 3 0 R /Resources << /Font << /F1 4 0 R >> >> >>"
    return _pdf(
        [
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
            *([page] * pages),
        ]
    )
