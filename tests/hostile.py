"""Hostile inputs of issue 16, generated on demand (no committed binaries): each function writes one file into the
given directory and returns its path. Used by tests/test_limits.py, tests/test_hostile_docx.py and the fuzz target.

Run as a script to write them all into a directory:  .venv/bin/python tests/hostile.py OUTDIR
"""
from __future__ import annotations

import random
import sys
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MAIN_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_STYLES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles"
_NUMBERING_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering"

HEAD = "某市某道路改造工程施工招标文件"
VIOLATION = "投标人须在本市注册。"


def para(text: str, extra: str = "") -> str:
    return f"<w:p>{extra}<w:r><w:t xml:space=\"preserve\">{escape(text)}</w:t></w:r></w:p>"


def docx(path: Path, body: str, main: str = "word/document.xml", parts: dict[str, bytes] | None = None,
         rels: list[tuple[str, str]] = (), prolog: str = "") -> Path:
    """A minimal WordprocessingML package: `body` is the inside of w:body; `parts` extra members; `rels` extra
    (type, target) relationships of the main part."""
    folder, name = main.rsplit("/", 1)
    ext = name.rsplit(".", 1)[-1]
    types = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
             'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
             f'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
             f'<Override PartName="/{main}" ContentType="{_MAIN_CT}"/></Types>')
    root_rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                 'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                 f'officeDocument/2006/relationships/officeDocument" Target="{main}"/></Relationships>')
    main_rels = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                 'package/2006/relationships">'
                 + "".join(f'<Relationship Id="r{i}" Type="{t}" Target="{tg}"/>' for i, (t, tg) in enumerate(rels))
                 + "</Relationships>")
    document = (f'<?xml version="1.0" encoding="UTF-8"?>{prolog}<w:document xmlns:w="{W_NS}"><w:body>{body}'
                '</w:body></w:document>')
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", types)
        zf.writestr("_rels/.rels", root_rels)
        zf.writestr(f"{folder}/_rels/{name}.rels", main_rels)
        zf.writestr(main, document.encode("utf-8"))
        for member, data in (parts or {}).items():
            zf.writestr(member, data)
    del ext
    return path


def xml_heavy_docx(out: Path, megabytes: float) -> Path:
    """Ordinary XML that deflates about 8:1 (random hanzi from a small set), so the zip-bomb screen does not fire:
    the 2.7 MB DOCX with 20 MB of XML that took 1.1 GB."""
    rng = random.Random(16)
    chars = "投标人须具备相应资质并在规定时间内提交文件本项目采用公开招标方式"
    paras, size = [], 0
    while size < megabytes * 1024 * 1024:
        p = para("".join(rng.choice(chars) for _ in range(60)))
        paras.append(p)
        size += len(p.encode())
    return docx(out / "xml_heavy.docx", "".join(paras))


def renamed_main_with_dtd(out: Path) -> Path:
    """The main part renamed .dat, carrying a DTD: parsed by the reader (found through the relationships)."""
    return docx(out / "renamed_main.docx", para(HEAD), main="word/body.dat",
                prolog='<!DOCTYPE w:document [<!ENTITY x "本市注册">]>')


def dtd_in_styles_bin(out: Path) -> Path:
    styles = (f'<?xml version="1.0"?><!DOCTYPE w:styles SYSTEM "http://127.0.0.1:9/x.dtd"><w:styles xmlns:w="{W_NS}"/>')
    return docx(out / "styles_bin.docx", para(HEAD), parts={"word/styles.bin": styles.encode()},
                rels=[(_STYLES_REL, "styles.bin")])


def nested_tables(out: Path, depth: int = 500) -> Path:
    inner = para(VIOLATION)
    for _ in range(depth):
        inner = f"<w:tbl><w:tr><w:tc>{inner}</w:tc></w:tr></w:tbl>"
    return docx(out / "nested_tables.docx", para(HEAD) + inner + para("完"))


def nested_wrappers(out: Path, tag: str = "w:ins", depth: int = 1000) -> Path:
    """1,000 nested w:ins (or w:sdt / w:sdtContent) around a run."""
    run = f"<w:r><w:t>{VIOLATION}</w:t></w:r>"
    if tag == "w:sdt":
        for _ in range(depth):
            run = f"<w:sdt><w:sdtContent>{run}</w:sdtContent></w:sdt>"
    else:
        for _ in range(depth):
            run = f'<{tag} w:id="1" w:author="a">{run}</{tag}>'
    return docx(out / f"nested_{tag.split(':')[1]}.docx", para(HEAD) + f"<w:p>{run}</w:p>")


def huge_numbering_start(out: Path) -> Path:
    """A list whose start is 1e22 with chineseCounting: Word clamps it, cn2an raised."""
    numbering = (f'<?xml version="1.0" encoding="UTF-8"?><w:numbering xmlns:w="{W_NS}"><w:abstractNum '
                 'w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="10000000000000000000000"/><w:numFmt '
                 'w:val="chineseCounting"/><w:lvlText w:val="第%1章"/></w:lvl></w:abstractNum><w:num w:numId="1">'
                 '<w:abstractNumId w:val="0"/></w:num></w:numbering>')
    numbered = '<w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr>'
    return docx(out / "huge_start.docx", para(HEAD) + para("招标公告", numbered) + para(VIOLATION),
                parts={"word/numbering.xml": numbering.encode()}, rels=[(_NUMBERING_REL, "numbering.xml")])


def violating_text(out: Path, sentences: int) -> Path:
    path = out / "violations.txt"
    path.write_text(HEAD + "\n" + "\n".join(f"{i}. {VIOLATION}" for i in range(sentences)) + "\n", encoding="utf-8")
    return path


ALL = {"xml_heavy": lambda o: xml_heavy_docx(o, 40), "renamed_main": renamed_main_with_dtd,
       "styles_bin": dtd_in_styles_bin, "nested_tables": nested_tables, "nested_ins": nested_wrappers,
       "nested_sdt": lambda o: nested_wrappers(o, "w:sdt"), "huge_start": huge_numbering_start,
       "violations": lambda o: violating_text(o, 100_000)}

if __name__ == "__main__":
    target = Path(sys.argv[1])
    target.mkdir(parents=True, exist_ok=True)
    for make in ALL.values():
        print(make(target))


def flate_pdf(path: Path, lines: list[str], damage: bool = False) -> Path:
    """A hand-written PDF whose one page's text is a Flate content stream (Helvetica, ASCII text). With `damage`,
    bytes in the middle of that stream are zeroed, as a bad download or disk does: pdfium still opens the file and
    reads the text up to the damage, silently."""
    import zlib

    ops = ["BT /F1 11 Tf 50 800 Td 14 TL"] + [f"({ln}) '" for ln in lines] + ["ET"]
    content = bytearray(zlib.compress("\n".join(ops).encode("latin-1"), 9))
    if damage:
        mid = len(content) // 2
        content[mid:mid + 24] = bytes(24)
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >> "
            b"/Contents 4 0 R >>",
            b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(content) + bytes(content) + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    path.write_bytes(pdf_from_objects(objs))
    return path


def pdf_from_objects(objs: list[bytes]) -> bytes:
    """A PDF file from its numbered objects (object 1 the catalog), with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return bytes(out)
