"""Draw the installable app's icons (static/site/icons/, the favicon's emblem) with Pillow.

Run from the project root: python scripts/draw_app_icons.py. The PNGs are committed; rerun after
changing static/site/favicon.svg so the phone's home screen shows the same emblem."""

from PIL import Image, ImageDraw

RED = (0x9F, 0x1D, 0x20)
GOLD = (0xF4, 0xC5, 0x42)


def emblem(size, maskable):
    scale = 4
    s = size * scale
    img = Image.new("RGBA", (s, s), RED + (255,) if maskable else (0, 0, 0, 0))
    d = ImageDraw.Draw(img)
    # a maskable icon keeps its mark inside the central 80% circle (the safe zone)
    inset = s * 0.18 if maskable else 0
    box = s - 2 * inset
    u = box / 64

    def r(x, y, w, h, rad, fill):
        d.rounded_rectangle(
            [inset + x * u, inset + y * u, inset + (x + w) * u, inset + (y + h) * u],
            radius=rad * u,
            fill=fill,
        )

    if not maskable:
        r(0, 0, 64, 64, 12, RED)
    for x, y in ((12, 12), (35, 12), (12, 35)):
        r(x, y, 17, 17, 3, "white")
    # the speech bubble: a circle with a tail
    cx, cy, rad = 43.5, 43.5, 8.5
    d.ellipse(
        [
            inset + (cx - rad) * u,
            inset + (cy - rad) * u,
            inset + (cx + rad) * u,
            inset + (cy + rad) * u,
        ],
        fill=GOLD,
    )
    d.polygon(
        [
            (inset + 46 * u, inset + 49 * u),
            (inset + 52 * u, inset + 56 * u),
            (inset + 40 * u, inset + 51 * u),
        ],
        fill=GOLD,
    )
    return img.resize((size, size), Image.LANCZOS)


for size in (192, 512):
    emblem(size, False).save(f"static/site/icons/icon-{size}.png", optimize=True)
emblem(512, True).convert("RGB").save("static/site/icons/icon-maskable-512.png", optimize=True)
