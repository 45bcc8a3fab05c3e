"""A scan made ready for OCR: colour stamps out, the page turned straight.

- Colour: inside a seal, each pixel's lightest channel. Black print is dark in every channel and stays; a red seal
  is light in its own channel and fades to the paper, where a plain grey conversion would leave it a grey blot over
  the text it stamps (a 中标通知书 is stamped over its last lines). Only inside a seal: model texts print what was
  filled in red (r10's 「预算金额：82.5万元」), and that is text. A seal is a red blob over an inch across; red print
  is a line a sixth of an inch high.
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
        rgb = image.convert("RGB")
        image = rgb.convert("L")
        r, g, b = rgb.split()
        for box in seals(r, ImageChops.lighter(g, b), dpi):
            image.paste(ImageChops.lighter(ImageChops.lighter(r, g), b).crop(box), box[:2])
    else:
        image = image.convert("L")
    angle = skew(image, dpi)
    if abs(angle) >= MIN_SKEW:
        image = image.rotate(angle, resample=Image.BICUBIC, expand=False, fillcolor=255)
    return image


SEAL_CELL = 1 / 8  # inches: the grid the red is counted on
SEAL_SIZE = 0.8  # inches: a red blob at least this wide and high is a seal (an official seal is 1.6 in, 4.2 cm)


def seals(red, other, dpi: float) -> list:
    """Pixel boxes of the red blobs on the page that are seals: grid cells with red ink (red well above the other
    channels), joined with their neighbours, at least SEAL_SIZE both ways."""
    from PIL import ImageChops

    k = max(1, round(SEAL_CELL * dpi))
    mask = ImageChops.subtract(red, other).point(lambda v: 255 if v > 80 else 0).reduce(k)
    w, h = mask.size
    cells = mask.tobytes()
    seen, boxes = set(), []
    need = SEAL_SIZE / SEAL_CELL
    for start in range(w * h):
        if cells[start] < 8 or start in seen:
            continue
        stack, blob = [start], []
        seen.add(start)
        while stack:
            i = stack.pop()
            blob.append(i)
            x = i % w
            for j in (i - 1 if x else -1, i + 1 if x + 1 < w else -1, i - w, i + w):
                if 0 <= j < w * h and j not in seen and cells[j] >= 8:
                    seen.add(j)
                    stack.append(j)
        xs, ys = [i % w for i in blob], [i // w for i in blob]
        if max(xs) - min(xs) + 1 >= need and max(ys) - min(ys) + 1 >= need:
            boxes.append((min(xs) * k, min(ys) * k, (max(xs) + 1) * k, (max(ys) + 1) * k))
    return boxes


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


BAND_MIN, BAND_MAX = 6.0, 36.0  # points: the height of a line of print (a rule is thinner, a picture taller)
BAND_INK = 3  # a pixel row is print when over 1 % of it is ink (255 = all): speckle stays under it


def unread_bands(image, height: int, words: list, scale: float) -> list:
    """Pixel boxes of lines of print in the top `height` pixels of `image` that no word of tesseract's covers.
    tesseract drops some lines whole, even alone in a crop (r19's bold 「四、获取磋商文件的时间、地点、方式：」 at
    300 dpi, read at once when binarised): rows with ink, grouped into bands of a line's height."""
    from PIL import Image

    page = image.crop((0, 0, image.width, height)).point(lambda v: 255 if v < 160 else 0)
    rows = page.resize((1, height), Image.BOX).tobytes()
    bands, start = [], None
    for y, v in enumerate(list(rows) + [0]):
        if v >= BAND_INK and start is None:
            start = y
        elif v < BAND_INK and start is not None:
            bands.append((start, y))
            start = None
    covered = [(w.top, w.bottom) for line in words for w in line if w.top < height]
    out = []
    for top, bottom in bands:
        if not BAND_MIN <= (bottom - top) * scale <= BAND_MAX:
            continue
        if any(min(bottom, b) - max(top, t) > 0.3 * (bottom - top) for t, b in covered):
            continue
        extent = page.crop((0, top, page.width, bottom)).getbbox()
        if extent and (extent[2] - extent[0]) * scale >= 36:  # half an inch of print at least
            out.append((extent[0], top, extent[2], bottom))
    return out
