"""A scan made ready for OCR: colour stamps out, the page turned straight.

- Colour: each pixel's lightest channel. Black print is dark in every channel and stays; a red seal (or a blue
  signature) is light in its own channel and fades to the paper, where a plain grey conversion would leave it a
  grey blot over the text it stamps (a 中标通知书 is stamped over its last lines).
- Skew: a sheet fed a little askew tilts every line; tesseract reads a tilted line worse, and a tilted rule no longer
  lies in one pixel row, so ocr_tables would find no table. The angle is the one whose horizontal projection is the
  sharpest (text rows and rules fall into few pixel rows), searched on a 100 dpi copy.
Only PIL: numpy and opencv are not dependencies of the checker.
"""
from __future__ import annotations

MAX_SKEW = 3.0  # degrees searched either way: a feeder's skew; a page turned further is no skew
MIN_SKEW = 0.15  # degrees under which the page is left as it is (a turn costs sharpness)
SEARCH_DPI = 100


def prepare(image, dpi: float):
    """Grey, stamps faded, straightened."""
    from PIL import Image, ImageChops

    if image.mode in ("RGB", "RGBA", "P", "CMYK"):
        r, g, b = image.convert("RGB").split()
        image = ImageChops.lighter(ImageChops.lighter(r, g), b)
    else:
        image = image.convert("L")
    angle = skew(image, dpi)
    if abs(angle) >= MIN_SKEW:
        image = image.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
    return image


def skew(image, dpi: float) -> float:
    """The angle (degrees, counter-clockwise as PIL's rotate takes it) that makes the text rows level."""
    from PIL import Image

    factor = max(1, round(dpi / SEARCH_DPI))
    small = image.reduce(factor).point(lambda v: 255 if v < 160 else 0)  # ink white, on black: rotation fills 0

    def sharpness(angle: float) -> float:
        turned = small.rotate(angle, resample=Image.NEAREST) if angle else small
        rows = turned.resize((1, turned.height), Image.BOX).tobytes()  # one byte a row: its mean ink
        return sum(v * v for v in rows)  # the same ink in fewer rows: a larger sum of squares

    best = max((k / 5 for k in range(int(-MAX_SKEW * 5), int(MAX_SKEW * 5) + 1)), key=sharpness)
    return max((best + k / 20 for k in range(-4, 5)), key=sharpness)
