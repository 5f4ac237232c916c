#!/bin/bash
# Host unit tests for the lab 5 file system core (kern/fs/ramfs.c, file.c, open.c, pipe.c, on top of
# kern/fs/cpio.c), with ASan/UBSan, on a ramdisk made by tools/mkinitrd.py. The kernel files
# are built as the kernel builds them (only inc/ and kern/); test_fs.c supplies the heap, the
# page allocator, printk and panic. Run from anywhere: bash tests/host/run_fs.sh
set -euo pipefail

cd "$(dirname "$0")/../.."
OUT=obj/host/fs
mkdir -p "$OUT"
CC=${CC:-gcc}
CFLAGS="-g -O1 -Wall -Wextra -Werror -fsanitize=address,undefined -fno-sanitize-recover=all"

# lib/string.c's functions share names with the host's libc: build them as sp_NAME.
RENAME=""
for name in memset memcpy memmove memcmp strlen strnlen strcmp strncmp strcpy strncpy \
	strlcpy strchr strrchr strstr strtoul strtol; do
	RENAME="$RENAME -D$name=sp_$name"
done

objs=""
for src in kern/fs/ramfs.c kern/fs/file.c kern/fs/open.c kern/fs/pipe.c kern/fs/lock.c kern/fs/cpio.c \
	lib/string.c; do
	obj="$OUT/$(basename "$src" .c).o"
	$CC $CFLAGS -std=gnu11 -nostdinc -ffreestanding -Iinc -Ikern -DLAB=5 $RENAME -c "$src" -o "$obj"
	objs="$objs $obj"
done
# The test uses the host's headers and finds Sparrow's <types.h> after them.
$CC $CFLAGS -idirafter inc -Ikern -DLAB=5 -c tests/host/test_fs.c -o "$OUT/test_fs.o"
$CC $CFLAGS "$OUT/test_fs.o" $objs -o "$OUT/test_fs"

# The ramdisk: a text file, an executable, a 300000-byte file (byte i is i*7 % 251) and a
# file three directories down.
SRC="$OUT/src"
rm -rf "$SRC"
mkdir -p "$SRC"
printf 'hello from the ramdisk\n' >"$SRC/motd"
printf '#!/bin/sh\n' >"$SRC/tool"
chmod 755 "$SRC/tool"
chmod 644 "$SRC/motd"
python3 -c 'import sys; sys.stdout.buffer.write(bytes(i * 7 % 251 for i in range(300000)))' \
	>"$SRC/big"
printf 'deep\n' >"$SRC/deep.txt"
python3 tools/mkinitrd.py -o "$OUT/initrd.cpio" etc/motd="$SRC/motd" bin/tool="$SRC/tool" \
	data/big="$SRC/big" a/b/c/deep.txt="$SRC/deep.txt"
"$OUT/test_fs" "$OUT/initrd.cpio"
