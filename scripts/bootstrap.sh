#!/usr/bin/env bash
# Set up everything kehoach needs on a fresh Debian machine: system packages, the virtual
# environment at .venv/ and the project with its test tools. Safe to run again: it only does
# what is missing or out of date.
set -euo pipefail
cd "$(dirname "$0")/.."

# tesseract-ocr and its Vietnamese model read scanned plans; DejaVu sets the fixture PDFs;
# headless Chromium opens the review pages in the tests (and prints the scan fixtures), with a
# serif font for Vietnamese
APT_PACKAGES=(tesseract-ocr tesseract-ocr-vie fonts-dejavu-core chromium fonts-liberation)
PYTHON=${PYTHON:-python3}

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "bootstrap: installing system packages: ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi

"$PYTHON" - <<'PY'
import sys
if sys.version_info < (3, 11):
    sys.exit(f"bootstrap: Python 3.11 or newer is needed, found {sys.version.split()[0]}")
PY

if [ ! -x .venv/bin/python ]; then
  echo "bootstrap: creating .venv" >&2
  "$PYTHON" -m venv .venv
fi

stamp=.venv/.kehoach-installed
want=$(cat pyproject.toml constraints.txt | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ] || [ ! -x .venv/bin/kehoach ]; then
  echo "bootstrap: installing kehoach and its dependencies into .venv" >&2
  # a machine's pip configuration may list package folders it does not have; pip then warns
  # once a package ("Location 'file:///…' is ignored") — noise of the machine, not of kehoach,
  # kept off the first screen; every other message of pip passes
  quiet_pip() { "$@" 2> >(grep -v "^WARNING: Location 'file://.*' is ignored" >&2); }
  quiet_pip .venv/bin/python -m pip install -q --upgrade pip
  # setuptools notes every editable install ("Editable installation … folders with the same
  # name"): information, not a problem; the first screen should be the job
  quiet_pip env PYTHONWARNINGS="ignore:Editable installation" \
    .venv/bin/python -m pip install -q -c constraints.txt -e ".[test,frames,export]"
  echo "$want" > "$stamp"
fi
