#!/usr/bin/env bash
# `make test-deploy`: run docker-compose.yml for real and chat through it.
#
#  1. installs Debian's docker.io, docker-compose and mmdebstrap when they are missing (root);
#  2. starts dockerd unless one is running, and stops it at the end;
#  3. builds the images without a registry (deploy/images.sh; unchanged ones are kept);
#  4. brings the stack up (docker-compose.yml + deploy/compose.test.yml: a catalogue slice and
#     quick model training) and waits for the gateway's /healthz;
#  5. chats through the gateway: a search, "cheaper", a request for a person;
#  6. SIGKILLs one action-server replica's process and checks that searches go on answering
#     with products and that the replica restarts and is healthy again;
#  7. tears everything down (`down -v`), also on failure.
#
# Settings: AISLE_DATA_FOLDER (default: the AISLE_DATA_DIR default, ../shared/data),
# AISLE_DEPLOY_PORT (18480), AISLE_CATALOG_LIMIT (2000), AISLE_DEPLOY_KEEP=1 leaves it running.
set -euo pipefail
cd "$(dirname "$0")/.."

DOCKER=/usr/bin/docker
PROJECT=aisle-deploy-test
PORT=${AISLE_DEPLOY_PORT:-18480}
BASE_URL=http://127.0.0.1:$PORT
PYTHON=$(command -v python3)
LOG=${AISLE_DEPLOY_CACHE:-var/deploy}/test-deploy.log
STARTED=$SECONDS
step() { printf '\n[test-deploy %3ds] %s\n' $((SECONDS - STARTED)) "$*"; }

[[ $(id -u) == 0 ]] || { echo "make test-deploy runs Docker: run it as root"; exit 2; }
mkdir -p "$(dirname "$LOG")"

missing=()
[[ -x /usr/sbin/dockerd && -x /usr/bin/docker ]] || missing+=(docker.io)
[[ -x /usr/bin/docker-compose ]] || missing+=(docker-compose)
command -v mmdebstrap >/dev/null || missing+=(mmdebstrap)
if ((${#missing[@]})); then
  step "installing Debian's ${missing[*]}…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

export POSTGRES_PASSWORD AISLE_SESSION_SECRET AISLE_SUPPORT_TOKEN AISLE_RASA_TOKEN
for name in POSTGRES_PASSWORD AISLE_SESSION_SECRET AISLE_SUPPORT_TOKEN AISLE_RASA_TOKEN; do
  printf -v "$name" '%s' "$(head -c 24 /dev/urandom | base64 | tr -d '/+=')"
done
export AISLE_DATA_FOLDER=${AISLE_DATA_FOLDER:-$(realpath ../shared/data)}
export AISLE_PUBLISH=127.0.0.1:$PORT
COMPOSE=(docker-compose -p "$PROJECT" -f docker-compose.yml -f deploy/compose.test.yml)

our_dockerd=
finish() {
  local status=$?
  if [[ -z ${AISLE_DEPLOY_KEEP:-} ]] && $DOCKER info >/dev/null 2>&1; then
    if ((status)); then
      "${COMPOSE[@]}" ps || true
      "${COMPOSE[@]}" logs --no-color --tail=40 || true
    fi
    step "tearing down (down -v)…"
    "${COMPOSE[@]}" down -v --remove-orphans >/dev/null 2>&1 || true
  fi
  if [[ -n $our_dockerd && -z ${AISLE_DEPLOY_KEEP:-} ]]; then
    step "stopping dockerd"
    kill "$our_dockerd" && while kill -0 "$our_dockerd" 2>/dev/null; do sleep 0.5; done
  fi
  ((status)) && echo "make test-deploy FAILED after $((SECONDS - STARTED)) s" \
    || echo "make test-deploy passed in $((SECONDS - STARTED)) s"
  exit $status
}
trap finish EXIT

if ! $DOCKER info >/dev/null 2>&1; then
  step "starting dockerd (log: $LOG.dockerd)"
  dockerd >"$LOG.dockerd" 2>&1 &
  our_dockerd=$!
  for _ in $(seq 60); do $DOCKER info >/dev/null 2>&1 && break; sleep 0.5; done
  $DOCKER info >/dev/null
fi

step "building the images (deploy/images.sh)"
deploy/images.sh

step "bringing the stack up: PostgreSQL, Redis, Chroma, prepare, 2 action servers, Rasa, gateway"
"${COMPOSE[@]}" down -v --remove-orphans >/dev/null 2>&1 || true
timeout 1500 "${COMPOSE[@]}" up -d
"$PYTHON" deploy/smoke.py "$BASE_URL" wait-healthy 300
step "stack up; memory: $($DOCKER stats --no-stream --format '{{.MemUsage}}' \
  | awk '{v=$1; u=v; gsub(/[0-9.]/,"",u); gsub(/[A-Za-z]/,"",v);
          t += v * (u=="GiB" ? 1024 : u=="KiB" ? 1/1024 : 1)} END {printf "%.0f MiB", t}')"

step "chatting through the gateway: a search, 'cheaper', a request for a person"
"$PYTHON" deploy/smoke.py "$BASE_URL" conversation

replica=$("${COMPOSE[@]}" ps -q actions | head -1)
restarts=$($DOCKER inspect -f '{{.RestartCount}}' "$replica")
pid=$($DOCKER inspect -f '{{.State.Pid}}' "$replica")
# Not `docker kill`: Docker 20.10 counts that as an operator's stop and does not restart it.
step "SIGKILL of action-server replica $($DOCKER inspect -f '{{.Name}}' "$replica") (pid $pid)"
kill -KILL "$pid"
back=
for _ in $(seq 60); do
  "$PYTHON" deploy/smoke.py "$BASE_URL" search
  # Its own port, not Docker's health status (that stays "healthy" across a restart until
  # the next probe): the new process answers only after its warm-up search.
  if [[ $($DOCKER inspect -f '{{.RestartCount}}' "$replica") == $((restarts + 1)) ]] \
    && $DOCKER exec "$replica" python deploy/probe.py http://127.0.0.1:5055/health 2>/dev/null; then
    back=1
    break
  fi
  sleep 2
done
[[ -n $back ]] || { echo "FAILED: the killed replica was not healthy again in time"; exit 1; }
step "the replica restarted and answers again; searches answered with products throughout"
"$PYTHON" deploy/smoke.py "$BASE_URL" conversation
