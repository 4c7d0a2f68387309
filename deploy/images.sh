#!/usr/bin/env bash
# Build Aisle's images without an image registry, each skipped when its inputs are unchanged:
#
#   aisle-base:bookworm      Debian bookworm (minbase) from the machine's apt mirror: mmdebstrap
#                            into a tar, then `docker import`
#   aisle-postgres:15-bookworm, aisle-redis:7-bookworm
#                            Debian's PostgreSQL 15 and Redis 7 on that base (engines.Dockerfile)
#   aisle-runtime:latest     the machine's Python 3.11 and 3.10 (pyenv) and both environments,
#                            installed offline from a wheel folder made with pip's own settings
#                            (runtime.Dockerfile)
#   aisle:latest             the code on top (Dockerfile): gateway, action server, Rasa, Chroma
#
# Usage: deploy/images.sh (as root, dockerd running). Build files go to $AISLE_DEPLOY_CACHE
# (default var/deploy: ignored by git, never committed).
set -euo pipefail
cd "$(dirname "$0")/.."

DOCKER=${DOCKER:-/usr/bin/docker}
CACHE=${AISLE_DEPLOY_CACHE:-var/deploy}
PYENV_ROOT=${PYENV_ROOT:-$HOME/.pyenv}
PY311=${PY311:-$(ls -d "$PYENV_ROOT"/versions/3.11* | sort -V | tail -1)}
PY310=${PY310:-$(ls -d "$PYENV_ROOT"/versions/3.10* | sort -V | tail -1)}
SOURCES=${AISLE_APT_SOURCES:-$(ls /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null | head -1 || true)}
NICE=(nice -n 10)
mkdir -p "$CACHE"

say() { printf '[images] %s\n' "$*"; }
digest() { sha256sum | cut -c1-16; }
label_of() { $DOCKER image inspect -f '{{index .Config.Labels "aisle.inputs"}}' "$1" 2>/dev/null || true; }
image_id() { $DOCKER image inspect -f '{{.Id}}' "$1"; }
# fresh IMAGE HASH: whether IMAGE exists and was built from inputs hashing to HASH.
fresh() { [[ "$(label_of "$1")" == "$2" ]]; }

base() {
  local hash
  hash=$( (cat "$SOURCES"; sed -n '/^base() {/,/^}/p' "$0") | digest)
  if fresh aisle-base:bookworm "$hash"; then say "aisle-base:bookworm is up to date"; return; fi
  say "building aisle-base:bookworm with mmdebstrap from $SOURCES (about 1-2 min)…"
  "${NICE[@]}" mmdebstrap --quiet --variant=minbase --include=ca-certificates,libgomp1 \
    bookworm "$CACHE/rootfs.tar" "$SOURCES"
  $DOCKER import --change "LABEL aisle.inputs=$hash" --change 'CMD ["bash"]' \
    --change 'ENV LANG=C.UTF-8' "$CACHE/rootfs.tar" aisle-base:bookworm >/dev/null
  rm -f "$CACHE/rootfs.tar"
}

engines() {
  local target tag hash
  for target in postgres:aisle-postgres:15-bookworm redis:aisle-redis:7-bookworm; do
    tag=${target#*:}
    hash=$( (image_id aisle-base:bookworm; cat deploy/engines.Dockerfile deploy/postgres-entrypoint.sh) | digest)
    if fresh "$tag" "$hash"; then say "$tag is up to date"; continue; fi
    say "building $tag from Debian's packages…"
    "${NICE[@]}" $DOCKER build --quiet --target "${target%%:*}" --label "aisle.inputs=$hash" \
      -t "$tag" -f deploy/engines.Dockerfile deploy >/dev/null
  done
}

# pip's own settings (find-links, indexes, certificate) make the wheel folder; the image build
# then installs from it with no network.
wheels() {  # wheels NAME PYTHON LOCK
  local folder="$CACHE/wheels/$1" hash
  hash=$( (cat "$3"; "$2/bin/python" -V) | digest)
  if [[ -f "$folder/.inputs" && "$(cat "$folder/.inputs")" == "$hash" ]]; then return; fi
  say "collecting the wheels of $3 with pip (Python $("$2/bin/python" -V 2>&1 | cut -d' ' -f2))…"
  rm -rf "$folder" && mkdir -p "$folder"
  "${NICE[@]}" "$2/bin/python" -m pip wheel --quiet --no-deps --prefer-binary --use-pep517 -r "$3" -w "$folder" \
    2> >(grep -v 'is ignored: it is neither' >&2)
  echo "$hash" >"$folder/.inputs"
}

runtime() {
  wheels app "$PY311" requirements/app.lock
  wheels rasa "$PY310" requirements/rasa.lock
  local hash
  hash=$( (image_id aisle-base:bookworm; cat deploy/runtime.Dockerfile requirements/*.lock;
           "$PY311/bin/python" -V; "$PY310/bin/python" -V) | digest)
  if fresh aisle-runtime:latest "$hash"; then say "aisle-runtime:latest is up to date"; return; fi
  say "building aisle-runtime:latest: both environments, offline (about 3 min)…"
  # The build context is one tar stream: the Dockerfile, both Pythons (without what was
  # installed into them), the lock files and the wheel folders. Nothing is staged on disk.
  tar -c --owner=0 --group=0 \
      --exclude='lib/python3.1?/site-packages/*' --exclude='__pycache__' \
      --transform "s,^$(basename "$PY311"),python3.11," \
      --transform "s,^$(basename "$PY310"),python3.10," \
      -C "$(dirname "$PY311")" "$(basename "$PY311")" "$(basename "$PY310")" \
      -C "$PWD/deploy" runtime.Dockerfile -C "$PWD" requirements/app.lock requirements/rasa.lock \
      -C "$PWD/$CACHE" wheels \
    | "${NICE[@]}" $DOCKER build --quiet --label "aisle.inputs=$hash" -t aisle-runtime:latest \
        -f runtime.Dockerfile - >/dev/null
}

app() {
  local hash
  hash=$( (image_id aisle-runtime:latest; git ls-files -co --exclude-standard -z \
           | xargs -0 -r sha256sum 2>/dev/null) | digest)
  if fresh aisle:latest "$hash"; then say "aisle:latest is up to date"; return; fi
  say "building aisle:latest (the code)…"
  "${NICE[@]}" $DOCKER build --quiet --label "aisle.inputs=$hash" -t aisle:latest \
    -f deploy/Dockerfile . >/dev/null
}

base
engines
runtime
app
say "images ready: $($DOCKER images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep '^aisle' | tr '\n' ' ')"
