#!/usr/bin/env bash
# Starts deploy/compose.yaml's two gateways (the image loaded into Docker as custos:latest) against the machine's
# PostgreSQL instead of the postgres service, for machines that cannot pull postgres:17; waits until Docker reports
# both healthy (the compose healthcheck: /health/ready), stops them (SIGTERM) and removes everything again.
#
#   deploy/image/check-compose.sh         (docker load -i custos-server/target/custos-image.tar first)
#
# Needs a Docker daemon, `docker compose` or `docker-compose`, socat, psql, and PostgreSQL on 127.0.0.1:5432 with
# trust auth. The containers reach it through a forwarder on the docker0 address (172.17.0.1 unless CHECK_HOST_IP).
set -euo pipefail
here=$(cd "$(dirname "$0")/../.." && pwd)
host_ip=${CHECK_HOST_IP:-172.17.0.1}
db=custos_compose_check_$$
project=custoscheck$$
fail() { echo "check-compose: $*" >&2; exit 1; }
if docker compose version >/dev/null 2>&1; then compose=(docker compose); else compose=(docker-compose); fi
work=$(mktemp -d "${TMPDIR:-/tmp}/custos-compose-check.XXXXXX")
cat >"$work/override.yaml" <<EOF
x-test: &test
  extra_hosts: ["postgres:$host_ip"]
  environment:
    CUSTOS_DB_URL: jdbc:postgresql://postgres:5432/$db
    CUSTOS_DB_USER: postgres
services:
  gateway-1: *test
  gateway-2: *test
EOF
export CUSTOS_DB_PASSWORD=unused-with-trust-auth
dc() { "${compose[@]}" -p "$project" -f "$here/deploy/compose.yaml" -f "$work/override.yaml" "$@"; }
forwarder=""
cleanup() {
  set +e
  dc down -v >/dev/null 2>&1
  [ -n "$forwarder" ] && kill "$forwarder"
  psql -h 127.0.0.1 -U postgres -qc "drop database if exists $db with (force)" postgres
  rm -rf "$work"
}
trap cleanup EXIT
psql -h 127.0.0.1 -U postgres -qc "create database $db" postgres || fail "cannot create database $db"
socat "TCP-LISTEN:5432,bind=$host_ip,fork,reuseaddr" TCP:127.0.0.1:5432 & forwarder=$!

healthy() {  # waits up to 240 s for a service's container to be healthy
  local id status
  id=$(dc ps -q "$1")
  for _ in $(seq 1 48); do
    status=$(docker inspect -f '{{.State.Health.Status}}' "$id")
    [ "$status" = healthy ] && { echo "check-compose: $1 healthy" >&2; return 0; }
    sleep 5
  done
  docker logs "$id" 2>&1 | tail -n 20 >&2
  fail "$1 not healthy after 240 s ($status)"
}
# In the order compose's depends_on gives: gateway-2 once gateway-1 is ready (--no-deps: no postgres service here).
dc up -d --no-deps gateway-1 && healthy gateway-1
dc up -d --no-deps gateway-2 && healthy gateway-2
for port in 8081 8082; do
  echo "check-compose: localhost:$port/health/ready $(curl -s -w ' %{http_code}' "http://localhost:$port/health/ready")" >&2
done
instances=$(psql -h 127.0.0.1 -U postgres -d "$db" -Atc 'select count(*) from gateway_instances')
echo "check-compose: instances in the store: $instances" >&2
[ "$instances" = 2 ] || fail "expected both gateways in gateway_instances"
dc stop >/dev/null 2>&1
for service in gateway-1 gateway-2; do
  code=$(docker inspect -f '{{.State.ExitCode}}' "$(dc ps -q "$service")")
  [ "$code" = 143 ] || [ "$code" = 0 ] || fail "$service ended with exit code $code on stop"
done
echo "check-compose: OK (both stopped cleanly on SIGTERM)" >&2
