"""Small real images for the demo's brands: a red banner with the brand's name and slogan in
gold, drawn with Pillow. Deterministic: the same brand (name, slogan, number) gives the same
bytes on the same machine (the text depends on the fonts installed)."""
import io
import random
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

SIZE = (640, 320)
RED, DARK_RED, GOLD = (178, 24, 30), (128, 12, 18), (244, 200, 66)
# CJK fonts looked for in this order (Debian's fonts-noto-cjk, fonts-wqy-*); without one the
# banner has its pattern and no text.
CJK_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
)


def _font(size: int) -> ImageFont.FreeTypeFont | None:
    for path in CJK_FONTS:
        if Path(path).exists():
            return ImageFont.truetype(path, size, index=2 if path.endswith(".ttc") else 0)
    return None


def banner_png(name: str, slogan: str, number: int) -> bytes:
    """A PNG banner of SIZE: border, knots in the corners, a ribbon of diamonds placed by a
    generator seeded with `number`, the name and the slogan."""
    rng = random.Random(number)
    image = Image.new("RGB", SIZE, RED)
    draw = ImageDraw.Draw(image)
    width, height = SIZE
    draw.rectangle((10, 10, width - 11, height - 11), outline=GOLD, width=4)
    draw.rectangle((22, 22, width - 23, height - 23), outline=DARK_RED, width=2)
    for cx, cy in ((44, 44), (width - 45, 44), (44, height - 45), (width - 45, height - 45)):
        draw.regular_polygon((cx, cy, 14), 4, rotation=45, fill=GOLD)   # a 结 (knot)
        draw.ellipse((cx - 5, cy - 5, cx + 5, cy + 5), fill=RED)
    for x in range(60, width - 60, 24):   # the golden rope
        lift = rng.randint(-4, 4)
        draw.regular_polygon((x, height - 70 + lift, 6), 4, fill=GOLD)
    title, small = _font(56), _font(24)
    if title is not None:
        draw.text((width // 2, 120), name, font=title, fill=GOLD, anchor="mm")
        draw.text((width // 2, 190), slogan[:22], font=small, fill=(255, 240, 220), anchor="mm")
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()
