"""Draw posapp's icon into resources/icons: a kitchen ticket on a dark tile (PNG 256 px, multi-size .ico).

Run from the repository root: .venv/bin/python tools/make_icon.py
"""

from PIL import Image, ImageDraw

S = 1024
img = Image.new("RGBA", (S, S), (0, 0, 0, 0))
d = ImageDraw.Draw(img)
d.rounded_rectangle((32, 32, S - 32, S - 32), radius=200, fill=(23, 32, 48, 255))
# the ticket: white paper with a zig-zag tear at the bottom
left, right, top, bottom = 272, S - 272, 150, 800
d.rectangle((left, top, right, bottom), fill=(250, 250, 245, 255))
teeth = 8
w = (right - left) / teeth
pts = [(left, bottom)]
for i in range(teeth):
    pts += [(left + w * (i + 0.5), bottom + 70), (left + w * (i + 1), bottom)]
d.polygon(pts, fill=(250, 250, 245, 255))
# orange header band (the order number) and item lines
d.rectangle((left, top, right, top + 170), fill=(245, 130, 32, 255))
for i, frac in enumerate((0.85, 0.6, 0.75)):
    y = top + 250 + i * 130
    d.rounded_rectangle(
        (left + 60, y, left + 60 + (right - left - 120) * frac, y + 60), radius=30, fill=(23, 32, 48, 255)
    )
# a green check badge: accepted
cx, cy, r = S - 250, S - 250, 170
d.ellipse((cx - r, cy - r, cx + r, cy + r), fill=(34, 170, 90, 255), outline=(23, 32, 48, 255), width=28)
d.line(
    [(cx - 80, cy + 5), (cx - 20, cy + 70), (cx + 90, cy - 60)],
    fill=(255, 255, 255, 255),
    width=48,
    joint="curve",
)
png = img.resize((256, 256), Image.LANCZOS)
png.save("resources/icons/posapp.png", optimize=True)
img.resize((256, 256), Image.LANCZOS).save(
    "resources/icons/posapp.ico",
    sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)],
)
