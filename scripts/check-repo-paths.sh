#!/usr/bin/env bash
# Fails (exit 1, naming file:line) when a project file (tracked, or new and not ignored) refers
# to a path outside the repository: `../shared`, `../../` or an absolute /work/ path. The project
# must build and test from its own clone alone. Checks the code, scripts, tests and build files,
# not prose (the README says where Atlassian's full OpenAPI document comes from) and not generated
# files (lock files, .sqlx/, the trimmed OpenAPI document). Run by scripts/test.sh first.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PATTERN='\.\./shared|\.\./\.\./|(^|[^[:alnum:]_.~-])/work/|shared/reference'

CHECKED=(scripts tests end2end src migrations style build.rs Cargo.toml package.json .ci)

project_files() {
  if git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git ls-files --cached --others --exclude-standard -- "${CHECKED[@]}"
  else
    # Not a clone (an unpacked archive): every file under the same names but npm's packages.
    find "${CHECKED[@]}" -type f -not -path '*/node_modules/*' 2>/dev/null || true
  fi
}

mapfile -t files < <(
  project_files | grep -vE '(^|/)(Cargo\.lock|package-lock\.json)$|(^|/)\.sqlx/|^tests/fidelity/jira-openapi\.json$'
)
[ "${#files[@]}" -gt 0 ] || { echo "check-repo-paths: found no project files to check" >&2; exit 1; }

# This file names the patterns it looks for, so it is left out of its own check.
self="scripts/$(basename "${BASH_SOURCE[0]}")"
found="$(printf '%s\0' "${files[@]}" | grep -zv -x -F "$self" | xargs -0 -r grep -snIE -e "$PATTERN" -- || true)"
if [ -n "$found" ]; then
  echo "check-repo-paths: these lines refer to paths outside the repository:" >&2
  echo "$found" >&2
  exit 1
fi
echo "check-repo-paths: ${#files[@]} files refer to nothing outside the repository"
