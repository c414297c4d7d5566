#!/bin/sh
# The Python `make` builds its venv with: the one named (a command or a path, `make PYTHON=...`),
# else the newest supported one found. Prints "PATH VERSION", e.g. "/usr/bin/python3.13 3.13".
#
# Supported: the versions Lambda runs and every pinned package has a wheel for (README.md). A version
# installed by pyenv but not selected is found too: pyenv's shims refuse to run it.
SUPPORTED="3.14 3.13 3.12 3.11"
PYENV_VERSIONS="${PYENV_ROOT:-$HOME/.pyenv}/versions"

# Each command that may be this Python: the name itself, then pyenv's installs of that version.
candidates() {
    echo "$1"
    case "$1" in
        python3.*) for path in "$PYENV_VERSIONS/${1#python}".*/bin/"$1"; do [ -x "$path" ] && echo "$path"; done ;;
    esac
}

# "EXECUTABLE X.Y" of the first of the candidates that runs.
first_that_runs() {
    for command in $(candidates "$1"); do
        "$command" -c 'import sys; print(sys.executable, "%d.%d" % sys.version_info[:2])' 2>/dev/null && return 0
    done
    return 1
}

supported() {
    for version in $SUPPORTED; do [ "$1" = "$version" ] && return 0; done
    return 1
}

NEEDS="Newsroom needs Python 3.11, 3.12, 3.13 or 3.14 (with pip and venv): for example
  Debian/Ubuntu: apt install python3.13-venv (or your release's python3.X-venv), macOS: brew install python@3.13,
  pyenv: pyenv install 3.13; then run make again, or name one: make run PYTHON=/path/to/python3.13"

if [ -n "${1:-}" ]; then
    if ! found=$(first_that_runs "$1"); then
        printf 'error: PYTHON=%s does not run.\n%s\n' "$1" "$NEEDS" >&2
        exit 1
    fi
    if ! supported "${found##* }"; then
        printf 'error: PYTHON=%s is Python %s.\n%s\n' "$1" "${found##* }" "$NEEDS" >&2
        exit 1
    fi
    echo "$found"
    exit 0
fi
for version in $SUPPORTED; do
    if found=$(first_that_runs "python$version") && [ "${found##* }" = "$version" ]; then
        echo "$found"
        exit 0
    fi
done
if found=$(first_that_runs python3) && supported "${found##* }"; then
    echo "$found"
    exit 0
fi
printf 'error: no supported Python found.\n%s\n' "$NEEDS" >&2
exit 1
