#!/bin/bash
# Host unit tests for the kernel heap (kern/mm/kmalloc.c), with ASan/UBSan. The heap is built
# exactly as the kernel builds it (no libc headers, only inc/ and kern/); the test supplies
# the page allocator and panic(). Run from anywhere: bash tests/host/run_mm.sh
set -euo pipefail

cd "$(dirname "$0")/../.."
OUT=obj/host/mm
mkdir -p "$OUT"
CC=${CC:-gcc}
CFLAGS="-g -O1 -Wall -Wextra -Werror -fsanitize=address,undefined -fno-sanitize-recover=all"

$CC $CFLAGS -nostdinc -ffreestanding -Iinc -Ikern -c kern/mm/kmalloc.c -o "$OUT/kmalloc.o"
$CC $CFLAGS -c tests/host/test_kmalloc.c -o "$OUT/test_kmalloc.o"
$CC $CFLAGS "$OUT/test_kmalloc.o" "$OUT/kmalloc.o" -o "$OUT/test_kmalloc"
"$OUT/test_kmalloc"
