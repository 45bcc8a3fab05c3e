"""Whether a PDF's or an image's pages give a document at all, and what a reviewer must know of the pages that
gave nothing. Shared by the PDF reader and the OCR image reader; OCR's own notes come in as an argument, so neither
reader imports the other for this."""
from __future__ import annotations

from typing import Optional

from ..errors import GarbledText, NoTextLayer
from ..models import PageIssue
from .pdf_page import Page


def page_issues(pages: list[Page], path: str, ocr_found: list[PageIssue],
                ocr_missing: Optional[str] = None) -> list[PageIssue]:
    """Refuse a document without usable text (one line naming why), else the issues of its pages: `ocr_found` (what
    OCR said of the pages it read, ocr.ocr_issues) and each page left unread."""
    total = sum(p.chars for p in pages)
    if pages and total == 0:
        if ocr_missing:
            raise NoTextLayer(f"PDF 没有文字层（可能是扫描件），{ocr_missing}，无法进行 OCR 文字识别", path)
        if any(p.ocr for p in pages):
            raise NoTextLayer("PDF 没有文字层（扫描件），OCR 未能识别出文字", path)
        raise NoTextLayer("PDF 没有文字层（可能是扫描件），需要先进行 OCR 文字识别", path)
    garbage = sum(p.garbage for p in pages)
    if total and garbage / total > 0.3:
        raise GarbledText("PDF 文字无法正确提取（字体缺少字符映射，提取结果为乱码），需要 OCR 或提供原始文档", path)
    issues = list(ocr_found)
    for p in pages:
        if p.ocr in ("timeout", "failed"):
            continue  # ocr_issues said why the page is unread
        if p.chars == 0:
            detail = "该页只有图像，没有文字层（扫描页），未能检查" if p.images else "空白页"
            issues.append(PageIssue(page=p.number, problem="no_text" if p.images else "blank", detail=detail))
        elif p.garbage / p.chars > 0.3:
            issues.append(PageIssue(page=p.number, problem="garbled_text", detail="该页文字提取为乱码，未能检查"))
            p.lines = []
            p.tables = []
    return issues
