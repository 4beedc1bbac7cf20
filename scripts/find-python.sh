#!/usr/bin/env bash
# Prints the path of a Python >= 3.12: python3.13, python3.12, python3, then
# pyenv's 3.13 / 3.12. Exits 1 with a clear message when there is none.
set -u
ok() { "$@" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }
for candidate in python3.13 python3.12 python3; do
  path=$(command -v "$candidate" 2>/dev/null) || continue
  if ok "$path"; then "$path" -c 'import sys; print(sys.executable)'; exit 0; fi
done
root=${PYENV_ROOT:-$HOME/.pyenv}
for version in $(ls -1 "$root/versions" 2>/dev/null | grep -E '^3\.(1[2-9]|[2-9][0-9])(\.[0-9]+)?$' | sort -Vr); do
  path="$root/versions/$version/bin/python3"
  if [ -x "$path" ] && ok "$path"; then echo "$path"; exit 0; fi
done
echo "No Python 3.12 or newer found. Install one (e.g. 'pyenv install 3.13' or Debian's python3.13) and run make again." >&2
exit 1
