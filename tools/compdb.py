#!/usr/bin/env python3
"""Write compile_commands.json (to stdout) so clangd-based editors understand Sparrow's
kernel and user code: one entry per source file, with the flags the build really uses.
Called by `make compile_commands.json`."""

import argparse
import json
import os
import shlex


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cc", required=True)
    ap.add_argument("--kcflags", required=True)
    ap.add_argument("--ucflags", default="")
    ap.add_argument("--user", nargs="*", default=[])
    ap.add_argument("sources", nargs="*")
    args = ap.parse_args()
    root = os.getcwd()
    entries = []
    for srcs, flags in ((args.sources, args.kcflags), (args.user, args.ucflags)):
        for src in srcs:
            if not src.endswith(".c"):
                continue
            cmd = [args.cc] + shlex.split(flags) + ["-c", src]
            entries.append({"directory": root, "file": os.path.join(root, src),
                            "arguments": cmd})
    print(json.dumps(entries, indent=1))


if __name__ == "__main__":
    main()
