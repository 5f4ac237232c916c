#!/bin/bash
# Host unit tests for the program loader's checks (kern/proc/elf.c) and the initrd reader
# (kern/fs/cpio.c), with ASan/UBSan, on a tiny program and the broken copies
# tools/mkbadelf.py makes of it. Run from anywhere: bash tests/host/run_loader.sh
set -euo pipefail

cd "$(dirname "$0")/../.."
OUT=obj/host/loader
mkdir -p "$OUT"
CC=${CC:-gcc}
CFLAGS="-g -O1 -Wall -Wextra -Werror -fsanitize=address,undefined -fno-sanitize-recover=all"
RENAME="-Dmemcmp=sp_memcmp -Dstrlen=sp_strlen -Dmemcpy=sp_memcpy -Dmemset=sp_memset"
RENAME="$RENAME -Dmemmove=sp_memmove -Dstrcmp=sp_strcmp"

for src in kern/proc/elf.c kern/fs/cpio.c lib/string.c; do
	obj="$OUT/$(basename "$src" .c).o"
	$CC $CFLAGS -nostdinc -ffreestanding -Iinc -Ikern $RENAME -c "$src" -o "$obj"
done
$CC $CFLAGS -c tests/host/test_loader.c -o "$OUT/test_loader.o"
$CC $CFLAGS "$OUT"/test_loader.o "$OUT"/elf.o "$OUT"/cpio.o "$OUT"/string.o -o "$OUT/test_loader"

$CC -nostdlib -static -no-pie -Wl,--build-id=none -o "$OUT/tiny" tests/host/tiny.S
python3 tools/mkbadelf.py "$OUT/tiny" "$OUT/bad"
python3 tools/mkinitrd.py -o "$OUT/initrd.cpio" bin/tiny="$OUT/tiny"
"$OUT/test_loader" "$OUT/tiny" "$OUT/bad" "$OUT/initrd.cpio"
