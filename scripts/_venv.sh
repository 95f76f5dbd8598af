# Shared by scripts/demo and scripts/test: make sure .venv exists and holds the project.
# Usage: . scripts/_venv.sh ; ensure_venv "<pip extras spec>"
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"

find_python() {
  for candidate in python3.13 python3.12 python3.11 python3; do
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)'; then
      command -v "$candidate"; return 0
    fi
  done
  echo "Shopfloor needs Python 3.11 or newer; none was found on PATH." >&2
  return 1
}

ensure_venv() {
  local spec="$1"
  if [ ! -x "$VENV/bin/python" ]; then
    local python; python="$(find_python)"
    echo "Creating $VENV with $python"
    if ! "$python" -m venv "$VENV"; then
      echo "Could not create a virtual environment. On Debian/Ubuntu: apt-get install -y python3-venv" >&2
      return 1
    fi
    "$VENV/bin/python" -m pip install --quiet --upgrade pip
  fi
  # Reinstalling is cheap when nothing changed, and it recompiles the translations.
  local stamp="$VENV/.shopfloor-installed"
  local isolation=()
  if "$VENV/bin/python" -c 'import hatchling, babel, editables' 2>/dev/null; then
    isolation=(--no-build-isolation)
  fi
  echo "Installing Shopfloor ($spec) into $VENV"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "${isolation[@]}" \
    --editable "$ROOT$spec"
  date -u +%FT%TZ > "$stamp"
}
