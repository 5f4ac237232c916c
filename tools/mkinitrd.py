#!/usr/bin/env python3
"""Pack files into the initial ramdisk: a cpio archive in the "newc" format, which GRUB
loads as a multiboot2 module and kern/fs/ reads.

    mkinitrd.py -o initrd.cpio bin/hello=obj/lab3/user/hello etc/motd=docs/motd ...

Each argument is DEST=SRC (DEST is the path inside the ramdisk, without a leading slash);
DEST/=DIR adds every file in the directory DIR under DEST/; DEST=@TARGET makes DEST a
symbolic link to TARGET. --busybox PATH adds the static busybox binary at PATH as
bin/busybox and, for each applet `PATH --list` names, a link bin/APPLET -> busybox that
replaces what the other arguments put there (except the destinations given with --keep).
Parent directories are added automatically. The archive is deterministic: same inputs, same
bytes (times are zero, inode numbers are assigned in order).
"""

import argparse
import os
import stat
import subprocess
import sys


def header(ino, mode, size, name, nlink=1):
    fields = [ino, mode, 0, 0, nlink, 0, size, 0, 0, 0, 0, len(name) + 1, 0]
    return b"070701" + b"".join(b"%08X" % f for f in fields)


def pad4(n):
    return (4 - n % 4) % 4


def entry(ino, mode, name, data=b""):
    """One member; a symbolic link (mode S_IFLNK) has its target as its data."""
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
        kind = stat.S_IFLNK if stat.S_ISLNK(mode) else stat.S_IFREG
        out.append(entry(ino, kind | stat.S_IMODE(mode), dest, data))
        ino += 1
    out.append(entry(0, 0, "TRAILER!!!"))
    return b"".join(out)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--busybox", metavar="PATH",
                    help="add this busybox as bin/busybox with a link per applet")
    ap.add_argument("--keep", action="append", default=[], metavar="DEST",
                    help="a destination that --busybox leaves alone (bin/init)")
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
    links = {}
    if args.busybox:
        try:
            out = subprocess.run([args.busybox, "--list"], stdout=subprocess.PIPE, check=True)
        except (OSError, subprocess.CalledProcessError) as e:
            sys.exit("mkinitrd: cannot list %s's applets: %s" % (args.busybox, e))
        applets = [a for a in out.stdout.decode().split() if a != "busybox"]
        links = {"bin/" + a: "busybox" for a in applets if "bin/" + a not in args.keep}
        specs.append(("bin/busybox", args.busybox))
    for dest, src in specs:
        dest = dest.strip("/")
        if not dest or dest in seen:
            sys.exit("mkinitrd: bad or repeated destination '%s'" % dest)
        seen.add(dest)
        if dest in links:
            continue  # busybox's applet replaces it
        if src.startswith("@"):
            files.append((dest, src[1:].encode(), stat.S_IFLNK | 0o777))
            continue
        try:
            with open(src, "rb") as f:
                data = f.read()
        except OSError as e:
            sys.exit("mkinitrd: cannot read %s: %s" % (src, e.strerror))
        mode = 0o755 if os.access(src, os.X_OK) else 0o644
        files.append((dest, data, mode))
    for dest in sorted(links):
        files.append((dest, links[dest].encode(), stat.S_IFLNK | 0o777))
    tmp = args.output + ".tmp"
    with open(tmp, "wb") as f:
        f.write(build(files))
    os.replace(tmp, args.output)


if __name__ == "__main__":
    main()
