#!/bin/bash
# Host unit tests for lib/: build lib/printfmt.c and lib/string.c for this machine, with
# sanitizers, and compare them against the host C library. Run from the repo root:
#     bash tests/host/run.sh
set -euo pipefail

cd "$(dirname "$0")/../.."
OUT=obj/host
mkdir -p "$OUT"

CC=${CC:-gcc}
CFLAGS="-g -O1 -Wall -Wextra -Werror -fsanitize=address,undefined -fno-sanitize-recover=all"

# Our functions share names with the host's libc, so the lib objects are built with each
# one renamed to sp_NAME. The tests declare the same sp_ names when they include inc/.
RENAME=""
for name in snprintf vsnprintf memset memcpy memmove memcmp strlen strnlen strcmp strncmp \
	strcpy strncpy strlcpy strchr strrchr strstr strtoul strtol; do
	RENAME="$RENAME -D$name=sp_$name"
done

# The lib is built exactly as the kernel sees it (no libc headers, only inc/); only the
# test programs use the host's headers, and they find <types.h> after the system ones.
for lib in printfmt string; do
	$CC $CFLAGS -nostdinc -ffreestanding -I inc $RENAME -c "lib/$lib.c" -o "$OUT/lib_$lib.o"
done

status=0
for test in test_printf test_string; do
	$CC $CFLAGS -idirafter inc -c "tests/host/$test.c" -o "$OUT/$test.o"
	$CC $CFLAGS "$OUT/$test.o" "$OUT/lib_printfmt.o" "$OUT/lib_string.o" -o "$OUT/$test"
	"$OUT/$test" || status=1
done
exit $status
