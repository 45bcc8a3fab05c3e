"""Decide what an input file really is, from its bytes, before any parser touches it.

Tender platforms hand out files whose extension lies: PNG scans renamed .pdf, spreadsheets renamed .docx, web pages
saved as .doc, half-finished downloads. Each of those must end in one clear Chinese message and its own exit code
(checker/errors.py), never in a parser's traceback. Everything here reads only a file's head, its tail or a zip's
directory, so it is cheap on any size of file.

    sniff(path, declared=None)  -> DocFormat       what the parser should be
    check_docx_safety(path)                         zip-bomb / XXE screen for a .docx, before python-docx opens it
    read_text_file(path)        -> (text, encoding) a .txt/.md decoded as UTF-8 (BOM ok), UTF-16 with BOM or GB18030
"""
from __future__ import annotations

import codecs
import re
import stat
import unicodedata
import zipfile
import zlib
from pathlib import Path

from checker.errors import (CorruptFile, EmptyFile, EncryptedFile, InputError, TooLarge, UnsafeFile, UnsupportedType,
                            UsageError, os_reason)
from checker import limits
from checker.models import DocFormat

DEFAULT_MAX_BYTES = 200 * 1024 * 1024

SUPPORTED = "支持的格式：.docx、.pdf、.doc、.wps、.txt、.md，扫描图像 .png、.jpg、.tif"

# Extension (or a caller's declared type, e.g. for stdin) -> the format the bytes are expected to have.
_EXPECTED = {
    "docx": DocFormat.docx, "pdf": DocFormat.pdf, "doc": DocFormat.doc, "wps": DocFormat.wps,
    "txt": DocFormat.text, "text": DocFormat.text, "md": DocFormat.text,
    "png": DocFormat.image, "jpg": DocFormat.image, "jpeg": DocFormat.image, "tif": DocFormat.image,
    "tiff": DocFormat.image,
}
# Scan formats, read through OCR (ingest/ocr.py). GIF, BMP and WebP are no scanner's output: still refused below.
_IMAGES = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*")

_HEAD = 8192
_BLANK = b" \t\r\n\x0b\x0c\x00"  # an all-NUL file is what an interrupted, preallocated download leaves behind

# Signatures of things people upload by mistake, so the message can say what the file really is.
_FOREIGN = [
    (b"\x89PNG\r\n\x1a\n", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF87a", "GIF 图片"),
    (b"GIF89a", "GIF 图片"),
    (b"II*\x00", "TIFF 图片"),
    (b"MM\x00*", "TIFF 图片"),
    (b"Rar!\x1a\x07", "RAR 压缩包"),
    (b"7z\xbc\xaf\x27\x1c", "7z 压缩包"),
    (b"\x1f\x8b", "gzip 压缩包"),
    (b"\x7fELF", "ELF 可执行程序"),
]


def sniff(path: Path, declared: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> DocFormat:
    """Return the real format of `path`, or raise the InputError that explains why it cannot be checked.

    `declared` stands in for the extension (stdin has none): "docx", "pdf", "doc", "wps" or "txt". The bytes still
    win when they clearly are another supported format, because that is the parser that can read them.
    """
    path = Path(path)
    where = str(path)
    expected = _expected_format(path, declared)

    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode) and not stat.S_ISDIR(st.st_mode):
            # A FIFO or /dev/zero has size 0 but is not empty (and opening a FIFO would block): say what it is.
            kind = "命名管道" if stat.S_ISFIFO(st.st_mode) else "设备文件" if stat.S_ISCHR(st.st_mode) or \
                stat.S_ISBLK(st.st_mode) else "套接字" if stat.S_ISSOCK(st.st_mode) else "特殊文件"
            raise UsageError(f"这是{kind}，不是普通文件；请传入文件路径，或用 - 从标准输入读取", where)
        size = st.st_size
        if size == 0:
            raise EmptyFile("文件为空（0 字节），请确认上传或下载是否完整", where)
        if size > max_bytes:
            raise TooLarge(f"文件过大（{_mib(size)}），超过上限 {_mib(max_bytes)}，请拆分后再检查或调高大小上限", where)
        with path.open("rb") as f:
            head = f.read(_HEAD)
            if not head.strip(_BLANK) and _rest_is_blank(f):
                raise EmptyFile("文件内容全是空白字符，没有可检查的正文", where)
            fmt = _by_magic(path, f, head, size, expected)
    except FileNotFoundError:
        raise UsageError("找不到文件", where) from None
    except IsADirectoryError:
        raise UsageError("这是一个目录，不是文件", where) from None
    except OSError as e:
        raise InputError(f"无法读取文件：{os_reason(e)}", where) from None

    if fmt is not None:
        return fmt
    if expected is DocFormat.text:
        _check_text_sample(path, size)
        return DocFormat.text
    if expected is None:
        raise UnsupportedType(f"无法识别的文件类型（扩展名“{path.suffix or '无'}”，内容也不是已知格式）；{SUPPORTED}",
                              where)
    raise CorruptFile(f"扩展名为 .{expected.value}，但内容不是有效的 {_NAMES[expected]}，文件可能已损坏或未下载完整", where)


_NAMES = {DocFormat.docx: "Word 文档", DocFormat.pdf: "PDF 文件", DocFormat.doc: "Word 97-2003 文档",
          DocFormat.wps: "WPS 文档", DocFormat.text: "文本文件", DocFormat.image: "图像文件"}


def _expected_format(path: Path, declared: str | None) -> DocFormat | None:
    if declared is not None:
        key = declared.lower().lstrip(".")
        if key not in _EXPECTED:
            raise UsageError(f"不支持的声明类型“{declared}”，可选：docx、pdf、doc、wps、txt")
        return _EXPECTED[key]
    return _EXPECTED.get(path.suffix.lower().lstrip("."))


def _by_magic(path: Path, f, head: bytes, size: int, expected: DocFormat | None) -> DocFormat | None:
    """The format the bytes announce, None if they announce nothing we know (plain text, or garbage)."""
    where = str(path)
    # Acrobat accepts the header anywhere in the first 1024 bytes (some servers prepend junk), so do we.
    if b"%PDF-" in head[:1024]:
        _check_pdf_tail(f, size, where)
        return DocFormat.pdf
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return _sniff_ole2(path, f, expected)
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _sniff_zip(path)

    # Word can save RTF, HTML or Word 2003 XML under a .doc name, and government sites serve many such ".doc"
    # files. LibreOffice converts all three, so they are legacy documents as far as the pipeline is concerned.
    lead = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    legacy_text = (lead.startswith(b"{\\rtf") or lead.startswith((b"<html", b"<!doctype html"))
                   or (lead.startswith(b"<?xml") and b"schemas.microsoft.com/office/word/2003/wordml" in head))
    if legacy_text and expected in (DocFormat.doc, DocFormat.wps):
        return expected
    if expected is not DocFormat.text:  # in a .txt these are just text
        if lead.startswith(b"mime-version:"):  # LibreOffice reads MHT as plain text, so it is no use converting
            raise UnsupportedType(f"文件实际是 MHT 网页存档，请用 Word/WPS 打开后另存为 .docx；{SUPPORTED}", where)
        if lead.startswith(b"{\\rtf"):
            raise UnsupportedType(f"文件实际是 RTF 格式，请用 Word/WPS 另存为 .docx；{SUPPORTED}", where)
        if lead.startswith((b"<html", b"<!doctype html")):
            raise UnsupportedType(f"文件实际是网页（HTML），请用 Word/WPS 打开后另存为 .docx；{SUPPORTED}", where)

    if head.startswith(_IMAGES):
        return DocFormat.image
    for magic, what in _FOREIGN:
        if head.startswith(magic):
            raise UnsupportedType(f"文件实际是 {what}，不是可检查的文档（扩展名“{path.suffix or '无'}”）；{SUPPORTED}", where)
    # Two-byte magic is too weak on its own (a text file may start with "BM"): BMP also has four reserved zeros.
    if head.startswith(b"BM") and head[6:10] == b"\0\0\0\0" or head.startswith(b"RIFF") and head[8:12] == b"WEBP":
        raise UnsupportedType(f"文件实际是图片（BMP/WebP），不是可检查的文档；{SUPPORTED}", where)
    return None


def _check_pdf_tail(f, size: int, where: str) -> None:
    # A PDF ends with %%EOF; Acrobat requires it within the last 1024 bytes. Without it the file was cut off in
    # transfer, and pdfium would silently "repair" it into a document with pages missing, which a compliance
    # check must not mistake for the whole tender.
    f.seek(max(0, size - 1024))
    if b"%%EOF" not in f.read():
        raise CorruptFile("PDF 文件不完整（缺少结尾标记 %%EOF），可能在上传或下载时被截断", where)


def _sniff_ole2(path: Path, f, expected: DocFormat | None) -> DocFormat:
    """An OLE2 compound file is a .doc, .wps, .xls, .ppt, or a password-protected .docx/.xlsx."""
    where = str(path)
    # Directory entry names are UTF-16LE and may sit anywhere in the file; a chunked byte search finds them
    # without implementing the FAT (a false hit needs these exact names inside the binary text, which is harmless
    # here: a .doc that is really something else fails in LibreOffice and reports CorruptFile).
    names = {n: n.encode("utf-16-le") for n in ("WordDocument", "EncryptedPackage", "Workbook", "PowerPoint Document")}
    found = _scan(f, list(names.values()))
    if names["EncryptedPackage"] in found:
        raise EncryptedFile("文件已设置打开密码（加密的 Office 文档），请去除密码后再检查", where)
    if names["WordDocument"] in found:
        return DocFormat.wps if expected is DocFormat.wps else DocFormat.doc
    if names["Workbook"] in found:
        raise UnsupportedType(f"文件实际是 Excel 97-2003 表格（.xls），不是 Word 文档；{SUPPORTED}", where)
    if names["PowerPoint Document"] in found:
        raise UnsupportedType(f"文件实际是 PowerPoint 97-2003 演示文稿（.ppt），不是 Word 文档；{SUPPORTED}", where)
    raise CorruptFile("文件是 OLE2 复合文档，但找不到 Word 正文（WordDocument 流），可能已损坏", where)


def _scan(f, needles: list[bytes], chunk: int = 1 << 20) -> set[bytes]:
    """Which of `needles` occur in the rest of `f`, reading in chunks with an overlap so none is split."""
    f.seek(0)
    found: set[bytes] = set()
    keep = max(len(n) for n in needles) - 1
    tail = b""
    while block := f.read(chunk):
        window = tail + block
        found.update(n for n in needles if n in window)
        tail = window[-keep:]
    return found


def _sniff_zip(path: Path) -> DocFormat:
    """A zip is a .docx only if [Content_Types].xml names the WordprocessingML main part."""
    where = str(path)
    try:
        with zipfile.ZipFile(path) as zf:
            names = set(zf.namelist())
            # Read a bounded prefix only: [Content_Types].xml is tiny in a real file and could be a bomb in a fake.
            types = _read_prefix(zf, "[Content_Types].xml", 1 << 20) if "[Content_Types].xml" in names else b""
            mimetype = _read_prefix(zf, "mimetype", 200) if "mimetype" in names else b""
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, NotImplementedError, ValueError):
        raise CorruptFile("ZIP 结构损坏（可能下载不完整），无法作为 Word 文档打开", where) from None
    except RuntimeError:  # zipfile raises this for a password-protected member
        raise EncryptedFile("压缩包内容已加密，请去除密码后再检查", where) from None

    if b"wordprocessingml.document.main+xml" in types:
        return DocFormat.docx
    if b"ms-word.document.macroEnabled" in types or b"wordprocessingml.template.main+xml" in types:
        raise UnsupportedType(f"文件是启用宏的 Word 文档或 Word 模板（.docm/.dotx），请另存为 .docx；{SUPPORTED}", where)
    if "word/document.xml" in names:
        raise CorruptFile("Word 文档缺少 [Content_Types].xml 或其中没有正文声明，文件可能已损坏", where)
    what = ("Excel 表格（.xlsx）" if b"spreadsheetml" in types or "xl/workbook.xml" in names else
            "PowerPoint 演示文稿（.pptx）" if b"presentationml" in types or "ppt/presentation.xml" in names else
            "OpenDocument 文档（.odt/.ods）" if mimetype.startswith(b"application/vnd.oasis.opendocument") else
            "OFD 版式文件" if "OFD.xml" in names else
            "ZIP 压缩包")
    raise UnsupportedType(f"文件实际是 {what}，不是 Word 文档；{SUPPORTED}", where)


def _read_prefix(zf: zipfile.ZipFile, name: str, limit: int) -> bytes:
    with zf.open(name) as member:
        return member.read(limit)


def _rest_is_blank(f) -> bool:
    while block := f.read(1 << 20):
        if block.strip(_BLANK):
            return False
    return True


def _mib(n: int) -> str:
    return f"{n / (1024 * 1024):.1f} MB"


# ------------------------------------------------------------------------------------------------------ docx safety

MAX_TOTAL_UNCOMPRESSED = 500 * 1024 * 1024
MAX_RATIO = 100  # deflated XML rarely beats 20:1; a run of one byte reaches ~1000:1
RATIO_MIN_SIZE = 5 * 1024 * 1024  # small members may compress absurdly well without being a threat
MAX_MEMBERS = 10_000
_DTD_UTF8 = [b"<!DOCTYPE", b"<!ENTITY"]
_DTD_UTF16 = [m.encode(enc) for m in ("<!DOCTYPE", "<!ENTITY") for enc in ("utf-16-le", "utf-16-be")]
# Encodings in which "<!DOCTYPE" has the same bytes as in ASCII. An XML part in any other encoding (UTF-7, EBCDIC,
# UTF-32...) could hide a DTD from a byte search; Word writes UTF-8, so such a part is refused outright.
_ASCII_COMPATIBLE = {"utf-8", "utf8", "us-ascii", "ascii", "gbk", "gb2312", "gb18030", "iso-8859-1", "latin1",
                     "windows-1252", "cp1252", "big5"}
_ENCODING_DECL = re.compile(rb'^\s*<\?xml[^>]*?encoding\s*=\s*["\']([A-Za-z0-9._:-]+)["\']')


def check_docx_safety(path: Path) -> None:
    """Refuse a .docx that would exhaust memory or make an XML parser fetch or expand entities.

    Checks the zip directory first (sizes are declared there, and zipfile refuses to inflate a member past its
    declared size or with a bad CRC, so the declared sizes bind what python-docx will later read), then streams
    each XML part looking for a DTD. Word never writes a DOCTYPE, so any DTD is hostile: external entities (XXE)
    or nested ones (billion laughs). The scan is a byte search, never a parse.
    """
    where = str(path)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_MEMBERS:
                raise UnsafeFile(f"文档包含 {len(infos)} 个内部文件，超过上限 {MAX_MEMBERS}，疑似恶意构造", where)
            total = sum(i.file_size for i in infos)
            if total > MAX_TOTAL_UNCOMPRESSED:
                raise UnsafeFile(f"文档解压后达 {_mib(total)}，超过上限 {_mib(MAX_TOTAL_UNCOMPRESSED)}，疑似压缩炸弹", where)
            for i in infos:
                if i.file_size > RATIO_MIN_SIZE and i.file_size > MAX_RATIO * max(i.compress_size, 1):
                    raise UnsafeFile(f"文档内部文件 {i.filename} 压缩比异常（{i.file_size // max(i.compress_size, 1)}:1），"
                                     "疑似压缩炸弹", where)
            # Every member an XML parser would accept is screened, whatever its name: the reader follows the
            # relationships, so a main part renamed `.dat` or a DTD in `styles.bin` is parsed all the same.
            xml_total = 0
            for i in infos:
                if i.filename.lower().endswith((".xml", ".rels")) or _looks_like_xml(zf, i):
                    xml_total += _check_xml_part(zf, i, where)
                    limits.check_xml(xml_total, where)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, NotImplementedError, ValueError):
        raise CorruptFile("Word 文档的 ZIP 结构损坏（可能下载不完整），无法读取", where) from None
    except RuntimeError:
        raise EncryptedFile("Word 文档内部文件已加密，请去除密码后再检查", where) from None
    except OSError as e:
        raise InputError(f"无法读取文件：{os_reason(e)}", where) from None


def _looks_like_xml(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """What an XML parser would take: `<` after an optional UTF-8 BOM and whitespace, or a UTF-16/32 `<` (with or
    without a BOM). Binary parts (PNG, JPEG, EMF's 01 00 00 00, OLE) have no `<` there and are not screened."""
    if info.is_dir() or info.file_size == 0:
        return False
    start = _read_prefix(zf, info.filename, 64)
    if start.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        return True
    wide = start[2:] if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else start
    return b"<" in wide[:4] and b"\x00" in wide[:4]


def _check_xml_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo, where: str) -> int:
    """Stream one XML part and refuse it if it declares a DTD (or uses an encoding the byte search cannot see into).
    Returns its uncompressed size, counted as it streams: the XML limit is enforced on what is read."""
    total = 0
    with zf.open(info) as member:
        block = member.read(1 << 20)
        markers = _dtd_markers(block[:512])
        if markers is None:
            raise UnsafeFile(f"文档内部文件 {info.filename} 使用了非常规字符编码，疑似恶意构造，已拒绝处理", where)
        keep = max(len(m) for m in markers) - 1
        tail = b""
        while block:
            window = tail + block
            if any(m in window for m in markers):
                raise UnsafeFile(f"文档内部文件 {info.filename} 含有 DOCTYPE/ENTITY 声明（可能是 XXE 或实体膨胀攻击），"
                                 "已拒绝处理", where)
            tail = window[-keep:]
            total += len(block)
            limits.check_xml(total, where)
            block = member.read(1 << 20)
    return total


def _dtd_markers(start: bytes) -> list[bytes] | None:
    """The byte patterns that spell a DTD in this part's encoding, judged from its first bytes as an XML parser
    would (BOM, NUL bytes, encoding declaration); None for an encoding that hides them."""
    if b"\x00\x00" in start[:4]:
        return None  # UTF-32 / UCS-4
    if start.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in start[:4]:
        return _DTD_UTF16
    declared = _ENCODING_DECL.match(start.removeprefix(codecs.BOM_UTF8))
    if declared is None:
        return _DTD_UTF8
    name = declared.group(1).decode("ascii").lower()
    if name.startswith(("utf-16", "utf16", "ucs-2")):
        return _DTD_UTF8 + _DTD_UTF16  # declared UTF-16 without a BOM: look for both spellings
    return _DTD_UTF8 if name in _ASCII_COMPATIBLE else None


# -------------------------------------------------------------------------------------------------------- text files

_TEXT_SAMPLE = 1 << 20


def read_text_file(path: Path) -> tuple[str, str]:
    """Return (text, encoding): UTF-8 (a BOM is fine), UTF-16 with a BOM (Notepad's "Unicode"), else GB18030,
    which is a superset of GBK and GB2312. Binary content raises CorruptFile; blank content raises EmptyFile."""
    path = Path(path)
    lim = limits.current().characters
    if path.stat().st_size > 4 * lim:  # even at 4 bytes a character it holds more than the limit: do not read it
        limits.check_characters(path.stat().st_size // 4, str(path))
    data = path.read_bytes()
    text, encoding = _decode(data, final=True, where=str(path))
    limits.check_characters(len(text), str(path))
    if not text.strip():
        raise EmptyFile("文本文件没有可检查的内容（为空或全是空白字符）", str(path))
    return text, encoding


def _check_text_sample(path: Path, size: int) -> None:
    with path.open("rb") as f:
        sample = f.read(_TEXT_SAMPLE)
    text, _ = _decode(sample, final=len(sample) == size, where=str(path))
    if not text.strip():
        read_text_file(path)  # blank at the start: decide on the whole file (raises EmptyFile if all blank)


def _decode(data: bytes, final: bool, where: str) -> tuple[str, str]:
    """Decode `data` (the whole file, or its start when final=False, so a split character is not an error)."""
    if data.startswith(codecs.BOM_UTF8):
        candidates = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ["utf-16"]
    elif data.count(b"\x00") > max(16, len(data) // 1000):
        raise CorruptFile("文件含有二进制内容，不是文本文件", where)
    else:
        # A stray NUL (an editor's or a download's damage) must not reject the whole text: it is dropped.
        data = data.replace(b"\x00", b"")
        candidates = ["utf-8", "gb18030"]
    for encoding in candidates:
        try:
            text = codecs.getincrementaldecoder(encoding)().decode(data, final=final)
        except UnicodeDecodeError:
            continue
        _check_not_binary(text, where)
        return text, encoding
    raise CorruptFile("文本既不是 UTF-8 也不是 GB18030/GBK 编码，可能是二进制文件或其他编码", where)


def _check_not_binary(text: str, where: str) -> None:
    # Real text has almost no control characters besides tab, newline and form feed; binary decoded by luck has many.
    controls = sum(1 for ch in text if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\x0b\x0c\x1a")
    if controls > max(2, len(text) // 100):
        raise CorruptFile("文件含有大量控制字符，不是文本文件", where)
