#!/usr/bin/env python3
"""Convert a PPM image (what QEMU's monitor command `screendump` writes) to PNG, with the
Python standard library only (zlib for the compression, struct for the chunks).

    python3 tools/ppm2png.py shot.ppm shot.png

Reads binary PPM (P6) with 8-bit samples, the format QEMU writes; writes an 8-bit RGB PNG.
"""

import struct
import sys
import zlib


def read_ppm(data):
    """(width, height, RGB bytes) of a binary PPM (P6, maxval 255)."""
    fields, pos = [], 0
    while len(fields) < 4:
        while pos < len(data) and data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":  # a comment, to the end of its line
            pos = data.index(b"\n", pos) + 1
            continue
        start = pos
        while pos < len(data) and not data[pos:pos + 1].isspace():
            pos += 1
        fields.append(data[start:pos])
    magic, width, height, maxval = fields[0], int(fields[1]), int(fields[2]), int(fields[3])
    if magic != b"P6" or maxval != 255:
        raise ValueError("not a binary 8-bit PPM (P6, maxval 255): %r, maxval %d" % (magic, maxval))
    pixels = data[pos + 1:pos + 1 + width * height * 3]  # one whitespace byte after maxval
    if len(pixels) != width * height * 3:
        raise ValueError("the PPM is truncated: %d of %d pixel bytes"
                         % (len(pixels), width * height * 3))
    return width, height, pixels


def chunk(kind, body):
    """A PNG chunk: length, type, body, and the CRC-32 of type and body."""
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png(width, height, pixels):
    """The bytes of an 8-bit RGB PNG of width x height pixels (RGB bytes, row by row)."""
    stride = width * 3
    # Each row starts with its filter type; 0 (none) is fine for screen pictures.
    raw = b"".join(b"\0" + pixels[y * stride:(y + 1) * stride] for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit RGB, no interlace
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9))
            + chunk(b"IEND", b""))


def convert(src, dst):
    with open(src, "rb") as f:
        width, height, pixels = read_ppm(f.read())
    with open(dst, "wb") as f:
        f.write(png(width, height, pixels))
    return width, height


def main(argv):
    if len(argv) != 3:
        print("usage: python3 tools/ppm2png.py IN.ppm OUT.png", file=sys.stderr)
        return 2
    try:
        w, h = convert(argv[1], argv[2])
    except (OSError, ValueError) as e:
        print("ppm2png: %s" % e, file=sys.stderr)
        return 1
    print("ppm2png: wrote %s (%dx%d)" % (argv[2], w, h))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
