#!/usr/bin/env bash
# Installs the Debian packages that the integration tests run as REAL servers (Redis, Daphne +
# Django 4.2, nginx, gunicorn + gevent, Django Channels) and chromium for browser tests.
# The tests reproduce the deployments in ../shared/seeds/ from distribution packages, not
# from PyPI, so this is the one place that knows how to get them.
#
# Idempotent and fast: when everything is present it only runs one dpkg-query and one Python
# import check (well under a second) and installs nothing. Otherwise it needs root (or
# passwordless sudo), adds bookworm-backports (python3-django 4.2: bookworm's 3.2 cannot stream
# an async generator through StreamingHttpResponse) and installs non-interactively.
#
# Usage: scripts/install-system-deps.sh [--check]   (--check: report, never install)
set -euo pipefail

PACKAGES=(
  redis-server
  redis-tools
  nginx
  python3-daphne
  python3-redis
  gunicorn
  python3-gevent
  python3-django
  python3-django-channels
  python3-channels-redis
  chromium
  fonts-liberation
)
# Debian's own interpreter: a pyenv/venv python3 earlier on PATH does not see these packages.
PYTHON=/usr/bin/python3
BACKPORTS_FILE=/etc/apt/sources.list.d/bookworm-backports.sources

log() { printf 'install-system-deps: %s\n' "$*"; }

missing_packages() {
  local pkg status
  # One dpkg-query for all packages; unknown packages are reported on stderr and treated as missing.
  declare -A installed=()
  while read -r pkg status; do
    [[ "$status" == "ii" ]] && installed["$pkg"]=1
  done < <(dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' "${PACKAGES[@]}" 2>/dev/null || true)
  for pkg in "${PACKAGES[@]}"; do
    [[ -n "${installed[$pkg]:-}" ]] || printf '%s\n' "$pkg"
  done
}

# The servers need these modules, and Django must be >= 4.2 (backports), not bookworm's 3.2.
python_problem() {
  [[ -x "$PYTHON" ]] || { echo "$PYTHON is missing"; return; }
  "$PYTHON" - <<'EOF' 2>&1 || true
import django, daphne, redis, gevent, channels, channels_redis  # noqa: F401
if django.VERSION < (4, 2):
    print(f"/usr/bin/python3 has Django {django.get_version()}, the servers need >= 4.2 (bookworm-backports)")
EOF
}

check() {
  local missing problem
  missing="$(missing_packages)"
  problem=""
  if [[ -z "$missing" ]]; then
    problem="$(python_problem)"
  fi
  if [[ -z "$missing" && -z "$problem" ]]; then
    return 0
  fi
  [[ -n "$missing" ]] && log "missing packages: $(echo "$missing" | tr '\n' ' ')"
  [[ -n "$problem" ]] && log "$problem"
  return 1
}

if check; then
  log "all system test dependencies are installed"
  exit 0
fi

if [[ "${1:-}" == "--check" ]]; then
  log "run scripts/install-system-deps.sh as root to install them"
  exit 1
fi

if [[ "$(id -u)" != "0" ]]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    log "not root: re-running with sudo"
    exec sudo -n env DEBIAN_FRONTEND=noninteractive bash "$0" "$@"
  fi
  log "ERROR: the packages above are missing and installing them needs root."
  log "Run: sudo $0"
  exit 1
fi

if ! grep -q '^VERSION_CODENAME=bookworm' /etc/os-release 2>/dev/null; then
  log "WARNING: this script targets Debian bookworm; found: $(grep '^PRETTY_NAME=' /etc/os-release 2>/dev/null || echo unknown)"
fi

export DEBIAN_FRONTEND=noninteractive

if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
  log "adding bookworm-backports in $BACKPORTS_FILE"
  cat >"$BACKPORTS_FILE" <<'EOF'
Types: deb
URIs: http://deb.debian.org/debian
Suites: bookworm-backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
fi

# Package postinst scripts would start system-wide redis/nginx on their default ports; the tests
# start their own instances, so forbid service starts during the install (as Docker images do).
created_policy=""
if [[ ! -e /usr/sbin/policy-rc.d ]]; then
  printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d
  chmod +x /usr/sbin/policy-rc.d
  created_policy=1
fi
cleanup() { [[ -n "$created_policy" ]] && rm -f /usr/sbin/policy-rc.d; return 0; }
trap cleanup EXIT

log "apt-get update"
apt-get update -q
# Backports have priority 100, so python3-django must be pinned to it explicitly.
install_args=()
for pkg in "${PACKAGES[@]}"; do
  if [[ "$pkg" == python3-django ]]; then
    install_args+=("python3-django/bookworm-backports")
  else
    install_args+=("$pkg")
  fi
done
log "apt-get install ${install_args[*]}"
apt-get install -y -q --no-install-recommends "${install_args[@]}"

if ! check; then
  log "ERROR: packages were installed but the check still fails (see above)"
  exit 1
fi
log "done: $("$PYTHON" -c 'import django; print("Django", django.get_version())'), $(nginx -v 2>&1), $(redis-server --version | cut -d' ' -f1-3)"
