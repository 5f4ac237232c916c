#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages of tools/packages that are missing: those marked
# "build" always, those of another purpose when asked for ("test" means every purpose).
# Called by make before building, running, grading, debugging or testing. Uses sudo when
# not root; when it cannot install, it stops and prints the exact command to run.
#
#   tools/install-deps.sh [build|test|userland ...]      (default: build)
set -euo pipefail

wants=" ${*:-build} "
list="$(dirname "$0")/packages"
PKGS=()
CMDS=()
while read -r pkg when cmds; do
	case "$pkg" in '' | '#'*) continue ;; esac
	if [ "$when" = build ] || [[ "$wants" == *" test "* ]] || [[ "$wants" == *" $when "* ]]; then
		PKGS+=("$pkg")
		[ "$cmds" = - ] || CMDS+=($cmds)
	fi
done <"$list"

if ! command -v dpkg-query >/dev/null 2>&1; then
	# Not Debian or Ubuntu: check the commands themselves and say what is missing.
	missing=()
	for c in "${CMDS[@]}"; do
		command -v "$c" >/dev/null 2>&1 || missing+=("$c")
	done
	if [ ${#missing[@]} -gt 0 ]; then
		echo "Sparrow needs these commands, which are missing: ${missing[*]}" >&2
		echo "(on Debian or Ubuntu: apt-get install ${PKGS[*]})" >&2
		exit 1
	fi
	exit 0
fi

# One dpkg-query for the whole list: a package is there when its status says so.
declare -A installed=()
while read -r name status; do
	[ "$status" = "install ok installed" ] && installed[$name]=1
done < <(dpkg-query -W -f='${Package} ${Status}\n' "${PKGS[@]}" 2>/dev/null || true)
missing=()
for p in "${PKGS[@]}"; do
	[ -n "${installed[$p]:-}" ] || missing+=("$p")
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
