#!/usr/bin/env python3
"""Pack files into the initial ramdisk: a cpio archive in the "newc" format, which GRUB
loads as a multiboot2 module and kern/fs/ reads.

    mkinitrd.py -o initrd.cpio bin/hello=obj/lab3/user/hello etc/motd=docs/motd ...

Each argument is DEST=SRC (DEST is the path inside the ramdisk, without a leading slash);
DEST/=DIR adds every file in the directory DIR under DEST/.
Parent directories are added automatically. The archive is deterministic: same inputs, same
bytes (times are zero, inode numbers are assigned in order).
"""

import argparse
import os
import stat
import sys


def header(ino, mode, size, name, nlink=1):
    fields = [ino, mode, 0, 0, nlink, 0, size, 0, 0, 0, 0, len(name) + 1, 0]
    return b"070701" + b"".join(b"%08X" % f for f in fields)


def pad4(n):
    return (4 - n % 4) % 4


def entry(ino, mode, name, data=b""):
    h = header(ino, mode, len(data), name) + name.encode() + b"\0"
    return h + b"\0" * pad4(len(h)) + data + b"\0" * pad4(len(data))


def build(files):
    """files: list of (dest, data, mode). Returns the archive bytes."""
    out = []
    dirs = set()
    ino = 1
    for dest, _, _ in files:
        parts = dest.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            dirs.add("/".join(parts[:i]))
    for d in sorted(dirs):
        out.append(entry(ino, stat.S_IFDIR | 0o755, d))
        ino += 1
    for dest, data, mode in files:
        out.append(entry(ino, stat.S_IFREG | mode, dest, data))
        ino += 1
    out.append(entry(0, 0, "TRAILER!!!"))
    return b"".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("files", nargs="*", metavar="DEST=SRC")
    args = ap.parse_args()
    files = []
    seen = set()
    specs = []
    for spec in args.files:
        if "=" not in spec:
            sys.exit("mkinitrd: '%s' is not DEST=SRC" % spec)
        dest, src = spec.split("=", 1)
        if dest.endswith("/") and os.path.isdir(src):
            specs += [(dest + name, os.path.join(src, name)) for name in sorted(os.listdir(src))]
        else:
            specs.append((dest, src))
    for dest, src in specs:
        dest = dest.strip("/")
        if not dest or dest in seen:
            sys.exit("mkinitrd: bad or repeated destination '%s'" % dest)
        seen.add(dest)
        try:
            with open(src, "rb") as f:
                data = f.read()
        except OSError as e:
            sys.exit("mkinitrd: cannot read %s: %s" % (src, e.strerror))
        mode = 0o755 if os.access(src, os.X_OK) else 0o644
        files.append((dest, data, mode))
    tmp = args.output + ".tmp"
    with open(tmp, "wb") as f:
        f.write(build(files))
    os.replace(tmp, args.output)


if __name__ == "__main__":
    main()
