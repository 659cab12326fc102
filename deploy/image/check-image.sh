#!/usr/bin/env bash
# Runs the built image against a PostgreSQL server and waits for its readiness endpoint to answer 200.
#
#   deploy/image/check-image.sh [--docker|--chroot] [IMAGE.tar]   (default: custos-server/target/custos-image.tar)
#
# --docker: `docker load` and `docker run --network host` (needs a running Docker daemon).
# --chroot: no daemon: unpacks the image's layers into a directory and runs its entrypoint, as its user, in a chroot
#           with private mount and PID namespaces (needs root). Without a flag: docker when `docker info` works.
# Environment: CHECK_PG (host:port of PostgreSQL, default 127.0.0.1:5432; trust auth or PGPASSWORD/CUSTOS_DB_PASSWORD),
# CHECK_PG_USER (postgres), CHECK_PORT (the gateway's port, default: a free one). A throw-away database is created
# and dropped again. CHECK_STORE=embedded: no CUSTOS_DB_URL, the image's embedded PostgreSQL in /var/lib/custos.
# Exits 0 when /health/ready answered 200 and the gateway ran as a non-root user.
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
mode=auto
case "${1:-}" in --docker) mode=docker; shift ;; --chroot) mode=chroot; shift ;; esac
image=$(realpath "${1:-$here/custos-server/target/custos-image.tar}")
pg=${CHECK_PG:-127.0.0.1:5432}
pg_user=${CHECK_PG_USER:-postgres}
fail() { echo "check-image: $*" >&2; exit 1; }
[ -f "$image" ] || fail "no image tar at $image (./mvnw -Pimage -pl custos-server -am package)"
if [ "$mode" = auto ]; then
  if docker info >/dev/null 2>&1; then mode=docker; else mode=chroot; fi
fi
port=${CHECK_PORT:-$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')}
db=custos_image_check_$$
embedded=$([ "${CHECK_STORE:-}" = embedded ] && echo yes || true)
[ -n "$embedded" ] || psql -h "${pg%:*}" -p "${pg##*:}" -U "$pg_user" -qc "create database $db" postgres \
  || fail "cannot create database $db on $pg"
work=$(mktemp -d "${TMPDIR:-/tmp}/custos-image-check.XXXXXX")
pid=""; container=""
cleanup() {
  set +e  # every step runs, whatever the one before it returned
  [ -n "$container" ] && { docker stop -t 20 "$container" >/dev/null; docker rm "$container" >/dev/null; }
  # unshare waits out its child and ignores SIGTERM: stop the gateway itself (a clean stop, as docker stop would).
  [ -n "$pid" ] && { pkill -TERM -P "$pid"; wait "$pid" 2>/dev/null; }
  [ -n "$embedded" ] || psql -h "${pg%:*}" -p "${pg##*:}" -U "$pg_user" -qc "drop database if exists $db with (force)" postgres
  # The chroot's /proc and /dev mounts live in its private mount namespace; never delete through one that leaked.
  if grep -q " $work/" /proc/mounts; then echo "check-image: mounts left under $work, not deleting it" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
env=(CUSTOS_PORT="$port")
[ -n "$embedded" ] || env+=(CUSTOS_DB_URL="jdbc:postgresql://$pg/$db" CUSTOS_DB_USER="$pg_user")
store=$([ -n "$embedded" ] && echo "embedded in /var/lib/custos" || echo "$pg/$db")
[ -z "$embedded" ] && [ -n "${CUSTOS_DB_PASSWORD:-${PGPASSWORD:-}}" ] && env+=(CUSTOS_DB_PASSWORD="${CUSTOS_DB_PASSWORD:-$PGPASSWORD}")

if [ "$mode" = docker ]; then
  ref=$(docker load -i "$image" | sed -n 's/^Loaded image: //p' | head -n 1)
  [ -n "$ref" ] || fail "docker load named no image"
  echo "check-image: docker run $ref on port $port, store $store" >&2
  env_args=(); for e in "${env[@]}"; do env_args+=(-e "$e"); done
  container=$(docker run -d --network host "${env_args[@]}" "$ref")
  running_uid() { docker top "$container" -o pid,uid,comm | awk '$3 == "java" { print $2 }'; }
  logs() { docker logs "$container" 2>&1 | tail -n 20; }
else
  [ "$(id -u)" -eq 0 ] || fail "--chroot needs root"
  root=$work/rootfs; mkdir -p "$root" "$work/tar"
  tar -C "$work/tar" -xf "$image"
  config=$work/tar/$(jq -r '.[0].Config' "$work/tar/manifest.json")
  for layer in $(jq -r '.[0].Layers[]' "$work/tar/manifest.json"); do
    tar -C "$root" --numeric-owner --warning=no-unknown-keyword -xpf "$work/tar/$layer"   # gzip or plain: tar tells by itself
  done
  user=$(jq -r '.config.User // "0"' "$config")
  workdir=$(jq -r '.config.WorkingDir // "/"' "$config")
  mapfile -t image_env < <(jq -r '.config.Env[]?' "$config")
  mapfile -t command < <(jq -r '(.config.Entrypoint // []) + (.config.Cmd // []) | .[]' "$config")
  case "${user%%:*}" in 0|root|"") fail "the image runs as root (User: $user)" ;; esac
  case "$user" in *:*) spec=$user ;; *) spec=$user:0 ;; esac
  echo "check-image: chroot run of ${command[*]} as $user in $workdir on port $port, store $store" >&2
  # The image's entrypoint names `java` by PATH, which the image's environment sets: resolve it inside the chroot.
  unshare --mount --propagation private --pid --fork --kill-child --mount-proc=/proc sh -c '
      root=$1; shift; mount -t proc proc "$root/proc" && mount --rbind /dev "$root/dev" && exec "$@"' \
    sh "$root" chroot --userspec="$spec" "$root" /usr/bin/env -i "${image_env[@]}" "${env[@]}" \
      sh -c 'cd "$0" && exec "$@"' "$workdir" "${command[@]}" >"$work/out.log" 2>&1 &
  pid=$!
  # unshare's forked child execs through chroot, env and sh into java: it is the gateway's process.
  running_uid() { ps -o uid=,comm= -p "$(pgrep -P "$pid" | head -n 1)" | awk '$2 == "java" { print $1 }'; }
  logs() { tail -n 20 "$work/out.log"; }
fi

for _ in $(seq 1 120); do
  code=$(curl -s -o "$work/health.json" -w '%{http_code}' "http://127.0.0.1:$port/health/ready" || true)
  [ "$code" = 200 ] && break
  if [ "$mode" = chroot ] && ! kill -0 "$pid" 2>/dev/null; then logs >&2; fail "the gateway exited"; fi
  sleep 1
done
[ "$code" = 200 ] || { logs >&2; fail "/health/ready did not answer 200 within 120 s (last: $code)"; }
echo "check-image: /health/ready 200 $(cat "$work/health.json")" >&2
uid=$(running_uid | head -n 1)
echo "check-image: the gateway's java process runs as uid ${uid:-?}" >&2
[ -n "$uid" ] && [ "$uid" != 0 ] || fail "the gateway does not run as a non-root user (uid ${uid:-unknown})"
logs | grep -m1 'custos: serving' >&2 || true
echo "check-image: OK ($mode)" >&2
