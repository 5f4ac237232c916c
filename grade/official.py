#!/usr/bin/env python3
"""The official files of a lab and the overlay that puts them over a submission.

The official files of lab N are the files whose instructor's copy wins when a submission is
graded: graders, build files, test programs. The lab plan names them (OFFICIAL_FILES and the
programs of labs/lab1..N/lab.mk; see tools/labplan.py). Their content is taken from the
handout of the lab being graded (made in memory by tools/handout.py), so a file that holds
solution markers is never among them and students' code is never overwritten.

An Official set can be computed from the reference tree or saved to and loaded from a bundle
directory (what the autograder package carries):

    BUNDLE/manifest.json   lab, globs, files with their sha256, protected paths, source
    BUNDLE/tree/...        the official files themselves

    official.py --lab N [--src ROOT]                 list lab N's official files
    official.py --lab N --bundle DIR [--src ROOT]    write lab N's bundle to DIR
    official.py --lab N --overlay TREE [--src ROOT]  overlay lab N's official files on TREE
"""

import argparse
import datetime
import hashlib
import json
import os
import shutil
import subprocess
import sys

TOP = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(TOP, "tools"))
import handout  # noqa: E402  (Entry, the handout builder)
import labplan  # noqa: E402  (the globs, the lab plan)


class OfficialError(Exception):
    """A problem with the plan or a bundle; the message is meant for the instructor."""


# ---------------------------------------------------------------------------------------
# The lab plan's official files

def official_globs(root, lab):
    """The glob patterns of lab's official files, from the lab plan of the tree at root."""
    try:
        return labplan.Plan(root).official_globs(lab)
    except labplan.PlanError as e:
        raise OfficialError(str(e))


def marked_files(root, paths):
    """The paths (of root's files) that hold solution markers: students' code."""
    return [path for path, items in handout.parsed_files(root, paths, [])
            if any(isinstance(item, handout.Block) for item in items)]


def reference_version(root):
    """The reference tree's git commit (with "+changes" if it has uncommitted changes)."""
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, stdout=subprocess.PIPE,
                                stderr=subprocess.DEVNULL).stdout.decode().strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=root, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL).stdout.strip()
    except OSError:
        return "unknown"
    return (commit or "unknown") + ("+changes" if dirty else "")


# ---------------------------------------------------------------------------------------
# The official set of one lab.

class Report:
    """What an overlay did, as sorted path lists."""

    def __init__(self):
        self.written = []   # every official file written
        self.replaced = []  # official files the submission had with other content
        self.restored = []  # official files the submission lacked
        self.removed = []   # files of the submission a glob claims that are not official

    def summary(self):
        text = "official files: %d written" % len(self.written)
        if self.replaced:
            text += "; replaced the submission's own %s" % ", ".join(self.replaced)
        if self.restored:
            text += "; restored %d missing" % len(self.restored)
        if self.removed:
            text += "; removed %s" % ", ".join(self.removed)
        return text


class Official:
    """The official files of one lab: globs, {path: handout.Entry}, and the protected paths
    (files with solution markers, never written or removed by the overlay)."""

    def __init__(self, lab, globs, files, protected, source="unknown"):
        self.lab = lab
        self.globs = list(globs)
        self.files = dict(files)
        self.protected = set(protected)
        self.source = source
        self._matchers = [labplan.Glob(g) for g in self.globs]

    @classmethod
    def from_reference(cls, root, lab):
        """Lab's official files, taken from its handout made in memory from root."""
        globs = official_globs(root, lab)
        paths = handout.source_files(root)
        protected = marked_files(root, paths)
        errors = []
        tree = handout.build_handout(root, lab, paths, errors).tree
        if errors:
            raise OfficialError("marker errors in the reference tree:\n" + "\n".join(errors))
        matchers = [labplan.Glob(g) for g in globs]
        files = {p: e for p, e in tree.items()
                 if p not in protected and any(m.matches(p) for m in matchers)}
        return cls(lab, globs, files, protected, reference_version(root))

    def claims(self, path):
        """True if path belongs to the official part of a tree (a glob matches it)."""
        return path not in self.protected and any(m.matches(path) for m in self._matchers)

    # -- bundles -------------------------------------------------------------------------

    def save(self, bundle):
        """Write the bundle directory (which must not exist yet or be empty)."""
        os.makedirs(os.path.join(bundle, "tree"), exist_ok=True)
        handout.write_files(self.files, os.path.join(bundle, "tree"))
        manifest = {
            "lab": self.lab,
            "globs": self.globs,
            "files": {p: {"sha256": hashlib.sha256(e.data).hexdigest(),
                          "mode": "%o" % e.git_mode()} for p, e in sorted(self.files.items())},
            "protected": sorted(self.protected),
            "source": self.source,
            "created": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        }
        with open(os.path.join(bundle, "manifest.json"), "w") as f:
            json.dump(manifest, f, indent=1, sort_keys=True)
            f.write("\n")

    @classmethod
    def load(cls, bundle):
        """The Official set saved in bundle; each file is checked against its sha256."""
        with open(os.path.join(bundle, "manifest.json")) as f:
            manifest = json.load(f)
        files = {}
        for path, info in manifest["files"].items():
            entry = handout.read_entry(os.path.join(bundle, "tree"), path)
            if hashlib.sha256(entry.data).hexdigest() != info["sha256"]:
                raise OfficialError("%s in the bundle %s does not match its manifest"
                                    % (path, bundle))
            files[path] = entry
        return cls(manifest["lab"], manifest["globs"], files, manifest["protected"],
                   manifest.get("source", "unknown"))

    # -- the overlay ---------------------------------------------------------------------

    def overlay(self, top):
        """Make the official part of the tree at top exactly the official files: write each
        one (replacing whatever stands in its way, symbolic links included) and remove
        every other file a glob claims. Returns a Report."""
        report = Report()
        top = os.path.abspath(top)
        for path in sorted(self.files):
            entry = self.files[path]
            full = os.path.join(top, *path.split("/"))
            make_real_dirs(top, os.path.dirname(path))
            old = None
            if os.path.islink(full):
                os.unlink(full)
            elif os.path.isdir(full):
                shutil.rmtree(full)
            elif os.path.exists(full):
                with open(full, "rb") as f:
                    old = f.read()
                os.unlink(full)
            handout.write_files({path: entry}, top)
            report.written.append(path)
            if old is None:
                report.restored.append(path)
            elif old != entry.data:
                report.replaced.append(path)
        for path in walk_files(top):
            if path not in self.files and self.claims(path):
                os.unlink(os.path.join(top, *path.split("/")))
                report.removed.append(path)
        report.removed.sort()
        return report


def make_real_dirs(top, rel):
    """Create the directory top/rel, replacing any symbolic link or file in its way."""
    cur = top
    for part in filter(None, rel.split("/")):
        cur = os.path.join(cur, part)
        if os.path.islink(cur) or (os.path.exists(cur) and not os.path.isdir(cur)):
            os.unlink(cur)
        if not os.path.isdir(cur):
            os.mkdir(cur)


def walk_files(top):
    """Every file and symbolic link below top, as posix paths relative to top (symbolic
    links to directories are listed, not followed)."""
    out = []
    for cur, dirs, files in os.walk(top):
        rel = os.path.relpath(cur, top).replace(os.sep, "/")
        prefix = "" if rel == "." else rel + "/"
        for d in list(dirs):
            if os.path.islink(os.path.join(cur, d)):
                dirs.remove(d)
                files.append(d)
        out += [prefix + f for f in files]
    return sorted(out)


def main(argv=None):
    ap = argparse.ArgumentParser(description="List, bundle or overlay a lab's official files.")
    ap.add_argument("--lab", type=int, required=True)
    ap.add_argument("--src", default=TOP, help="the reference tree (default: %(default)s)")
    ap.add_argument("--bundle", metavar="DIR", help="write the lab's bundle to DIR")
    ap.add_argument("--overlay", metavar="TREE", help="overlay the official files on TREE")
    args = ap.parse_args(argv)
    try:
        official = Official.from_reference(args.src, args.lab)
        if args.bundle:
            if os.path.exists(args.bundle) and os.listdir(args.bundle):
                raise OfficialError("%s exists and is not empty" % args.bundle)
            official.save(args.bundle)
            print("lab %d: %d official files -> %s" % (args.lab, len(official.files), args.bundle))
        elif args.overlay:
            print(official.overlay(args.overlay).summary())
        else:
            for path in sorted(official.files):
                print(path)
    except (OfficialError, handout.HandoutError, labplan.PlanError, OSError) as e:
        print("official: %s" % e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
