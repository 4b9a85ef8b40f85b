"""Photos for the demo data set, drawn with Pillow when the demo is seeded (no binary files in
the repository): a product photo of the apples and a harvest photo for the timeline.

Each is a 480×360 JPEG of about 10 KB, so the demo scan page shows real images and its
transfer budget (150 KB) is measured with them.
"""

import io
import random

from PIL import Image, ImageDraw, ImageFilter

SIZE = (480, 360)


class PhotoUpload(io.BytesIO):
    """An in-memory JPEG that looks like an uploaded file to ``store_upload``."""

    def __init__(self, filename: str, image: Image.Image):
        buffer = io.BytesIO()
        image.save(buffer, "JPEG", quality=70, optimize=True, progressive=True)
        super().__init__(buffer.getvalue())
        self.filename = filename


def apple_photo() -> PhotoUpload:
    """Three red apples on a pale wooden table."""
    image = _background((236, 224, 200), (214, 196, 163))
    draw = ImageDraw.Draw(image)
    for x, y, r in ((150, 200, 82), (300, 190, 90), (225, 255, 78)):
        _apple(draw, x, y, r)
    return PhotoUpload("jingning-red-fuji.jpg", image.filter(ImageFilter.SMOOTH))


def harvest_photo() -> PhotoUpload:
    """A crate full of apples in an orchard."""
    image = _background((170, 205, 140), (96, 140, 80))
    draw = ImageDraw.Draw(image)
    draw.rectangle((60, 170, 420, 340), fill=(150, 104, 60), outline=(110, 72, 38), width=6)
    rng = random.Random(2026)
    for _ in range(24):
        _apple(draw, rng.randrange(90, 390), rng.randrange(150, 220), rng.randrange(26, 34))
    for y in (230, 285):
        draw.line((60, y, 420, y), fill=(110, 72, 38), width=5)
    return PhotoUpload("harvest-JN-2026-HF-001.jpg", image.filter(ImageFilter.SMOOTH))


def _background(top: tuple, bottom: tuple) -> Image.Image:
    width, height = SIZE
    image = Image.new("RGB", SIZE)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / (height - 1)
        color = tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        draw.line((0, y, width, y), fill=color)
    return image


def _apple(draw: ImageDraw.ImageDraw, x: int, y: int, r: int) -> None:
    draw.ellipse((x - r, y - r, x + r, y + r), fill=(186, 32, 38), outline=(120, 18, 24), width=3)
    draw.ellipse((x - r // 2, y - r // 2 - r // 4, x - r // 8, y - r // 8), fill=(222, 90, 80))
    draw.line((x, y - r, x + r // 6, y - r - r // 3), fill=(90, 60, 30), width=max(3, r // 12))
    draw.ellipse((x + r // 8, y - r - r // 3, x + r // 2, y - r - r // 8), fill=(70, 140, 60))


def add_apple_photos(enterprise, product, harvest_record) -> None:
    """Store both photos, published: the product photo and the harvest record's photo."""
    from suyuan.services.files import store_upload

    for photo, owner in (
        (apple_photo(), {"product": product}),
        (harvest_photo(), {"stage_record": harvest_record}),
    ):
        store_upload(photo, enterprise, **owner).is_public = True
