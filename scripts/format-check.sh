#!/bin/sh
# Check C formatting with clang-format against .clang-format (no changes made).
set -e
cd "$(dirname "$0")/.."
if ! command -v clang-format >/dev/null 2>&1; then
    echo "format-check: clang-format is missing" >&2
    exit 1
fi
git ls-files '*.c' '*.h' | xargs clang-format --dry-run --Werror
