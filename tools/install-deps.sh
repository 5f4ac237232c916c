#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages Sparrow needs, if any are missing. Called by
# `make` before building, running, grading or testing. Uses sudo when not root; when it
# cannot install, it stops and prints the exact command to run.
#
#   tools/install-deps.sh [extra-package ...]
set -euo pipefail

PKGS=(gcc binutils make qemu-system-x86 grub-pc-bin grub-common xorriso mtools gdb python3 "$@")

have() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

if ! command -v dpkg-query >/dev/null 2>&1; then
	# Not Debian or Ubuntu: check the commands themselves and say what is missing.
	missing=()
	for c in gcc ld make qemu-system-x86_64 grub-mkrescue xorriso mformat gdb python3; do
		command -v "$c" >/dev/null 2>&1 || missing+=("$c")
	done
	if [ ${#missing[@]} -gt 0 ]; then
		echo "Sparrow needs these commands, which are missing: ${missing[*]}" >&2
		echo "(on Debian or Ubuntu: apt-get install ${PKGS[*]})" >&2
		exit 1
	fi
	exit 0
fi

missing=()
for p in "${PKGS[@]}"; do
	have "$p" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

line="apt-get install -y ${missing[*]}"
echo "Sparrow needs Debian packages that are not installed: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then
	SUDO=()
elif command -v sudo >/dev/null 2>&1 && { sudo -n true 2>/dev/null || [ -t 0 ]; }; then
	SUDO=(sudo)
else
	echo "Cannot install them from here (not root, and no usable sudo). Please run:" >&2
	echo "    sudo apt-get update && sudo $line" >&2
	exit 1
fi

echo "Installing: ${SUDO[*]:+${SUDO[*]} }$line"
export DEBIAN_FRONTEND=noninteractive
if ! { "${SUDO[@]}" apt-get update -qq && "${SUDO[@]}" apt-get install -y -qq "${missing[@]}"; }; then
	echo "Installing failed. Please run:" >&2
	echo "    sudo apt-get update && sudo $line" >&2
	exit 1
fi
