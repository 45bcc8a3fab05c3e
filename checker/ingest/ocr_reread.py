"""Second reads of what tesseract's page layout lost (ocr.read_page): blocks it took for pictures, and lines of
print it dropped whole. Each within what is left of the page's time limit."""
from __future__ import annotations

import io
import time


def _left(deadline: float) -> float:
    from .ocr_engine import OcrTimeout

    left_over = deadline - time.monotonic()
    if left_over <= 0:
        raise OcrTimeout()
    return left_over


PICTURE_MIN = 20  # points: a "picture" block at least this high (two lines) is read again as text


def pictures(image, boxes: list, scale: float, deadline: float) -> list:
    """Lines of the blocks tesseract's layout took for pictures. Underlined coloured text that went through JPEG
    (r02 p.8: four lines of its 3.1 资格要求 underlined in blue) can look like a halftone to it and vanish; read as one
    uniform block (psm 6), those lines come back. A block that is a real picture gives nothing or little."""
    out = []
    margin = round(4 / scale)
    for left, top, right, bottom in boxes:
        if (bottom - top) * scale < PICTURE_MIN or (right - left) * scale < PICTURE_MIN:
            continue
        box = (max(0, left - margin), max(0, top - margin), min(image.width, right + margin),
               min(image.height, bottom + margin))
        left_over = _left(deadline)
        buf = io.BytesIO()
        image.crop(box).save(buf, format="PNG", compress_level=1)
        for words in _run(buf.getvalue(), left_over, "6"):
            for w in words:
                w.left, w.right, w.top, w.bottom = w.left + box[0], w.right + box[0], w.top + box[1], w.bottom + box[1]
            out.append(words)
    return out


LOST_LINE_CONF = 60  # a lost line read again is kept only this sure: a band of speckle reads as garbage under it


def lines(image, bands: list, deadline: float) -> list:
    """Lines of print tesseract dropped (ocr_image.unread_bands), read again alone at half the resolution (psm 7):
    r19's heading came back so with its colon (binarised, the colon was read as ; and the heading became a list
    item)."""
    from PIL import Image, ImageOps

    out = []
    for box in bands:
        left_over = _left(deadline)
        pad = 10
        crop = image.crop(box)
        crop = ImageOps.expand(crop.resize((max(1, crop.width // 2), max(1, crop.height // 2)), Image.LANCZOS), pad,
                               fill=255)
        buf = io.BytesIO()
        crop.save(buf, format="PNG", compress_level=1)
        for words in _run(buf.getvalue(), left_over, "7"):
            chars = sum(len(w.text) for w in words)
            if sum(w.conf * len(w.text) for w in words) < LOST_LINE_CONF * chars:
                continue
            for w in words:  # back to the page's pixels: twice the size, less the pad
                w.left, w.right = box[0] + 2 * (w.left - pad), box[0] + 2 * (w.right - pad)
                w.top, w.bottom = box[1] + 2 * (w.top - pad), box[1] + 2 * (w.bottom - pad)
            out.append(words)
    return out


def _run(png: bytes, timeout: float, psm: str) -> list:
    from .ocr_engine import run_tesseract

    return run_tesseract(png, timeout, psm=psm)

