"""Input sniffing, docx safety screening, text decoding and legacy conversion against the bad-input fixtures.

Fixtures live in tests/fixtures/bad/ and are made by make_bad_inputs.py there. Each bad input must end in its own
InputError subclass with a one-line Chinese message: never a traceback, never a parser's English exception.
"""
from __future__ import annotations

import re
import shutil
import sys
import time
import zipfile
from pathlib import Path

import pytest

from checker.errors import (ConverterMissing, CorruptFile, EmptyFile, EncryptedFile, InputError, TooLarge, UnsafeFile,
                            UnsupportedType, UsageError)
from checker.ingest import convert
from checker.ingest.sniff import check_docx_safety, read_text_file, sniff
from checker.models import DocFormat

BAD = Path(__file__).parent / "fixtures" / "bad"
CJK = re.compile(r"[\u4e00-\u9fff]")
OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def assert_clean(exc: InputError | UsageError, cls: type) -> None:
    """The error is exactly the expected kind and reads as one Chinese line naming the file."""
    assert type(exc) is cls, f"{type(exc).__name__}: {exc}"
    line = exc.one_line()
    assert "\n" not in exc.message and "\n" not in line
    assert CJK.search(exc.message), exc.message
    assert "Traceback" not in line


def copy_as(tmp_path: Path, fixture: str, name: str) -> Path:
    target = tmp_path / name
    shutil.copyfile(BAD / fixture, target)
    return target


# --------------------------------------------------------------------------------------------------------- sniff


@pytest.mark.parametrize("name, fmt", [
    ("ok.docx", DocFormat.docx),
    ("ok.pdf", DocFormat.pdf),
    ("ok.txt", DocFormat.text),
    ("gbk.txt", DocFormat.text),
    ("legacy.doc", DocFormat.doc),
    # Readable containers whose problem is for a later stage (parser or safety check) to report:
    ("encrypted.pdf", DocFormat.pdf),
    ("scanned.pdf", DocFormat.pdf),
    ("image.png", DocFormat.image),  # a scan: read through OCR
    ("not_really.pdf", DocFormat.image),  # a PNG renamed .pdf: the bytes win
    ("cid_garbage.pdf", DocFormat.pdf),
    ("cid_identity.pdf", DocFormat.pdf),
    ("xxe.docx", DocFormat.docx),
    ("zip_bomb.docx", DocFormat.docx),
    ("zip_bomb_deflate.docx", DocFormat.docx),
])
def test_sniff_accepts(name, fmt):
    assert sniff(BAD / name) is fmt


@pytest.mark.parametrize("name, cls", [
    ("empty.pdf", EmptyFile),
    ("whitespace.txt", EmptyFile),
    ("truncated.pdf", CorruptFile),
    ("corrupt.docx", CorruptFile),
    ("spreadsheet.docx", UnsupportedType),
])
def test_sniff_rejects(name, cls):
    with pytest.raises(InputError) as info:
        sniff(BAD / name)
    assert_clean(info.value, cls)
    assert info.value.path == str(BAD / name)


def test_unsupported_message_says_what_the_file_is(tmp_path):
    gif = tmp_path / "scan.pdf"
    gif.write_bytes(b"GIF89a" + (BAD / "image.png").read_bytes()[6:])  # a GIF renamed .pdf: no scanner's format
    with pytest.raises(UnsupportedType) as png:
        sniff(gif)
    assert "GIF" in png.value.message and ".docx" in png.value.message  # what it is, and what would work
    with pytest.raises(UnsupportedType) as xlsx:
        sniff(BAD / "spreadsheet.docx")
    assert "Excel" in xlsx.value.message


def test_too_large(tmp_path):
    with pytest.raises(TooLarge) as info:
        sniff(BAD / "ok.pdf", max_bytes=1000)
    assert_clean(info.value, TooLarge)


def test_bytes_win_over_a_wrong_extension(tmp_path):
    assert sniff(copy_as(tmp_path, "ok.docx", "renamed.doc")) is DocFormat.docx
    assert sniff(copy_as(tmp_path, "legacy.doc", "renamed.docx")) is DocFormat.doc
    assert sniff(copy_as(tmp_path, "ok.pdf", "renamed.txt")) is DocFormat.pdf
    assert sniff(copy_as(tmp_path, "legacy.doc", "kingsoft.wps")) is DocFormat.wps


def test_declared_type_stands_in_for_the_extension(tmp_path):
    stdin = copy_as(tmp_path, "gbk.txt", "stdin")
    with pytest.raises(UnsupportedType):
        sniff(stdin)  # no extension, no magic: nothing says it is text
    assert sniff(stdin, declared="txt") is DocFormat.text
    assert sniff(copy_as(tmp_path, "ok.docx", "stdin2"), declared="docx") is DocFormat.docx
    assert sniff(copy_as(tmp_path, "legacy.doc", "stdin3"), declared="wps") is DocFormat.wps
    assert sniff(copy_as(tmp_path, "ok.pdf", "stdin4"), declared="docx") is DocFormat.pdf  # the bytes win
    with pytest.raises(UsageError):
        sniff(stdin, declared="xlsx")


@pytest.mark.parametrize("name, data, cls", [
    ("random.docx", bytes(range(256)) * 8, CorruptFile),  # says docx, is nothing
    ("random.pdf", b"<html>not a pdf</html>" * 10, UnsupportedType),  # a web page saved as .pdf
    ("random.xyz", bytes(range(256)) * 8, UnsupportedType),
    ("zeros.pdf", b"\x00" * 5000, EmptyFile),  # an interrupted, preallocated download
    ("binary.txt", bytes(range(256)) * 8, CorruptFile),
    ("page.mht.doc", b"MIME-Version: 1.0\r\nContent-Type: multipart/related\r\n\r\n", UnsupportedType),
    ("ole2_other.doc", OLE2 + b"\x00" * 600, CorruptFile),
    ("sheet.doc", OLE2 + b"\x00" * 600 + "Workbook".encode("utf-16-le"), UnsupportedType),
    # A password-protected .docx is not a zip at all but an OLE2 file holding an EncryptedPackage stream.
    ("locked.docx", OLE2 + b"\x00" * 600 + "EncryptedPackage".encode("utf-16-le"), EncryptedFile),
])
def test_sniff_synthetic(tmp_path, name, data, cls):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError) as info:
        sniff(path)
    assert_clean(info.value, cls)


@pytest.mark.parametrize("data", [
    b'{\\rtf1\\ansi\\ansicpg936 \\u31532?\\u19968?\\u31456?\\par}',
    "<html><body><h1>第一章 招标公告</h1></body></html>".encode("utf-8"),
    b'<?xml version="1.0"?><w:wordDocument xmlns:w="http://schemas.microsoft.com/office/word/2003/wordml"/>',
])
def test_legacy_text_formats_saved_as_doc_go_to_the_converter(tmp_path, data):
    path = tmp_path / "download.doc"
    path.write_bytes(data)
    assert sniff(path) is DocFormat.doc


def test_missing_file_is_a_usage_error(tmp_path):
    with pytest.raises(UsageError):
        sniff(tmp_path / "nope.pdf")


# --------------------------------------------------------------------------------------------------- docx safety


def test_safety_passes_a_normal_docx():
    check_docx_safety(BAD / "ok.docx")


@pytest.mark.parametrize("name, cls", [
    ("xxe.docx", UnsafeFile),
    ("zip_bomb.docx", UnsafeFile),
    ("zip_bomb_deflate.docx", UnsafeFile),
    ("corrupt.docx", CorruptFile),
])
def test_safety_rejects(name, cls):
    start = time.perf_counter()
    with pytest.raises(InputError) as info:
        check_docx_safety(BAD / name)
    assert_clean(info.value, cls)
    assert time.perf_counter() - start < 2, "the bomb was inflated instead of refused from the zip directory"


def test_safety_too_many_members(tmp_path, monkeypatch):
    # checker.ingest re-exports the function `sniff`, which shadows the module as an attribute of the package.
    monkeypatch.setattr(sys.modules["checker.ingest.sniff"], "MAX_MEMBERS", 5)
    path = tmp_path / "many.docx"
    with zipfile.ZipFile(path, "w") as zf:
        for i in range(6):
            zf.writestr(f"word/media/{i}.bin", b"x")
    with pytest.raises(UnsafeFile) as info:
        check_docx_safety(path)
    assert_clean(info.value, UnsafeFile)


@pytest.mark.parametrize("xml", [
    '<?xml version="1.0" encoding="UTF-16"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d>&x;</d>'
    .encode("utf-16"),  # DTD hidden from a UTF-8 byte search
    b'<?xml version="1.0" encoding="UTF-7"?><d/>',  # an encoding in which "<!DOCTYPE" has other bytes
    "<!DOCTYPE d>".encode("utf-32"),
])
def test_safety_sees_through_other_encodings(tmp_path, xml):
    path = tmp_path / "sneaky.docx"
    with zipfile.ZipFile(BAD / "ok.docx") as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            dst.writestr(info.filename, xml if info.filename == "word/styles.xml" else src.read(info))
    with pytest.raises(UnsafeFile):
        check_docx_safety(path)


# ---------------------------------------------------------------------------------------------------- text files


def test_read_text_utf8_and_gb18030():
    text, enc = read_text_file(BAD / "ok.txt")
    assert enc == "utf-8" and text.startswith("第一章 招标公告")
    text, enc = read_text_file(BAD / "gbk.txt")
    assert enc == "gb18030" and text.startswith("第一章 招标公告")


@pytest.mark.parametrize("data, encoding", [
    ("\ufeff第一章 招标公告\n".encode("utf-8"), "utf-8-sig"),
    ("第一章 招标公告\n".encode("utf-16"), "utf-16"),  # Notepad's "Unicode"
])
def test_read_text_with_bom(tmp_path, data, encoding):
    path = tmp_path / "bom.txt"
    path.write_bytes(data)
    assert read_text_file(path) == ("第一章 招标公告\n", encoding)


def test_read_text_rejects_binary_and_blank():
    with pytest.raises(CorruptFile) as info:
        read_text_file(BAD / "image.png")
    assert_clean(info.value, CorruptFile)
    with pytest.raises(EmptyFile):
        read_text_file(BAD / "whitespace.txt")


# ------------------------------------------------------------------------------------------------------- convert


@pytest.mark.skipif(convert.find_soffice() is None,
                    reason="LibreOffice (soffice) is not on PATH: apt-get install libreoffice-writer-nogui")
def test_convert_legacy_doc(tmp_path):
    import docx

    out = convert.convert_to_docx(BAD / "legacy.doc", tmp_path)
    assert out == tmp_path / "legacy.docx" and sniff(out) is DocFormat.docx
    check_docx_safety(out)
    paragraphs = docx.Document(str(out)).paragraphs
    assert paragraphs[0].text == "第一章 招标公告" and paragraphs[0].style.name == "Heading 1"


@pytest.mark.skipif(convert.find_soffice() is None, reason="LibreOffice (soffice) is not on PATH")
def test_convert_failure_is_corrupt(tmp_path):
    broken = copy_as(tmp_path, "corrupt.docx", "broken.doc")
    with pytest.raises(CorruptFile) as info:
        convert.convert_to_docx(broken, tmp_path / "out")
    assert_clean(info.value, CorruptFile)


def test_convert_without_soffice(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty directory: no soffice, no libreoffice
    with pytest.raises(ConverterMissing) as info:
        convert.convert_to_docx(BAD / "legacy.doc", tmp_path)
    assert_clean(info.value, ConverterMissing)
    assert "libreoffice-writer-nogui" in info.value.message and "soffice" in info.value.message
    assert info.value.exit_code == 11


# ------------------------------------------------------------------------------ the fixtures are what they claim


def test_fixtures_are_small():
    for path in BAD.iterdir():
        assert path.stat().st_size < 200_000, path.name


def test_pdf_fixtures_behave_as_described():
    """Pin down what the PDF parser will see, so its detectors have something fixed to aim at."""
    import pdfplumber
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    def pdfium_page(name):
        return pdfium.PdfDocument(str(BAD / name))[0].get_textpage()

    def plumber_text(name):
        with pdfplumber.open(BAD / name) as pdf:
            return pdf.pages[0].extract_text(), len(pdf.pages[0].images)

    assert pdfium_page("ok.pdf").get_text_range().startswith("第一章 招标公告")

    # scanned.pdf: one image per page and not a single character, in either library.
    assert pdfium_page("scanned.pdf").count_chars() == 0
    assert plumber_text("scanned.pdf") == ("", 1)

    # cid_garbage.pdf / cid_identity.pdf: fonts without /ToUnicode. pdfplumber shows "(cid:n)"; pdfium flags most
    # characters with FPDFText_HasUnicodeMapError and returns control characters (simple font) or the glyph ids as
    # if they were code points (Identity-H), which look like real but wrong CJK.
    for name in ("cid_garbage.pdf", "cid_identity.pdf"):
        assert "(cid:" in plumber_text(name)[0]
        page = pdfium_page(name)
        errors = sum(raw.FPDFText_HasUnicodeMapError(page.raw, i) == 1 for i in range(page.count_chars()))
        assert errors > page.count_chars() // 3, name
    assert "\x01" in pdfium_page("cid_garbage.pdf").get_text_range()
    assert pdfium_page("cid_identity.pdf").get_text_range().startswith("\u4ff8\u22cc\u4fac")

    # encrypted.pdf: needs the user password.
    with pytest.raises(pdfium.PdfiumError):
        pdfium.PdfDocument(str(BAD / "encrypted.pdf"))
    assert len(pdfium.PdfDocument(str(BAD / "encrypted.pdf"), password="open-me")) == 1
