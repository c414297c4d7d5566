"""Demo photos drawn locally with Pillow: stage, banner, rows of people. No downloads."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw

PALETTES = [
    ((28, 64, 120), (180, 30, 40), (240, 220, 200)),
    ((60, 90, 60), (200, 160, 40), (230, 230, 220)),
    ((90, 60, 40), (160, 30, 30), (245, 235, 215)),
    ((40, 40, 70), (30, 110, 170), (220, 225, 235)),
]


def draw_scene(seed: int, width: int = 1600, height: int = 1067) -> Image.Image:
    """A meeting-hall scene, different for every seed."""
    rng = random.Random(seed)  # noqa: S311  demo pictures, reproducible per seed; nothing secret
    wall, banner, floor = PALETTES[seed % len(PALETTES)]
    image = Image.new("RGB", (width, height), wall)
    draw = ImageDraw.Draw(image)
    for y in range(height // 2):  # wall gradient
        shade = tuple(min(255, c + y // 6) for c in wall)
        draw.line([(0, y), (width, y)], fill=shade)
    draw.rectangle([0, height // 2, width, height], fill=floor)
    bx = rng.randint(width // 10, width // 4)
    draw.rectangle([bx, height // 12, width - bx, height // 5], fill=banner)
    for i in range(rng.randint(6, 14)):  # characters on the banner, as blocks
        x = bx + 30 + i * ((width - 2 * bx - 60) // 14)
        draw.rectangle([x, height // 9, x + 30, height // 6], fill=(250, 230, 120))
    rows = rng.randint(2, 4)
    for row in range(rows):
        y = height // 2 + row * (height // (2 * rows)) + 30
        for x in range(rng.randint(20, 80), width, rng.randint(70, 120)):
            colour = tuple(rng.randint(20, 200) for _ in range(3))
            draw.ellipse([x, y, x + 34, y + 34], fill=(235, 200, 170))
            draw.rectangle([x - 8, y + 36, x + 42, y + 110], fill=colour)
    return image


def encode(image: Image.Image, fmt: str = "JPEG", quality: int = 82) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, quality=quality)
    return buffer.getvalue()
