#!/usr/bin/env bash
# Installs what `npm run cluster:test` runs, from Debian, only what is missing: PostgreSQL,
# PgBouncer, Redis and nginx. Their packages would start system services (a PostgreSQL cluster on
# 5432, redis on 6379, nginx on 80, pgbouncer): a policy-rc.d that answers 101 forbids that while
# installing, and PostgreSQL's packaging is told not to create a cluster. The cluster test starts
# its own servers on 127.0.0.1 only. Used by scripts/cluster/run.ts and .ci/run.
set -euo pipefail

missing=()
ls /usr/lib/postgresql/*/bin/pg_basebackup >/dev/null 2>&1 || missing+=(postgresql)
command -v pgbouncer >/dev/null 2>&1 || [[ -x /usr/sbin/pgbouncer ]] || missing+=(pgbouncer)
command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
command -v nginx >/dev/null 2>&1 || [[ -x /usr/sbin/nginx ]] || missing+=(nginx)
if [[ ${#missing[@]} -eq 0 ]]; then
  echo "cluster packages: all installed (postgresql, pgbouncer, redis-server, nginx)"
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "cluster packages missing: ${missing[*]}; install them as root (apt-get install ${missing[*]})" >&2
  exit 1
fi
echo "cluster packages: installing ${missing[*]}"
if [[ ! -e /etc/postgresql-common/createcluster.conf ]]; then
  mkdir -p /etc/postgresql-common
  echo 'create_main_cluster = false' >/etc/postgresql-common/createcluster.conf
fi
POLICY=/usr/sbin/policy-rc.d
OWN_POLICY=0
if [[ ! -e $POLICY ]]; then
  printf '#!/bin/sh\n# cluster:test install: no service may start while installing\nexit 101\n' >"$POLICY"
  chmod 755 "$POLICY"
  OWN_POLICY=1
fi
trap 'if [[ $OWN_POLICY == 1 ]]; then rm -f "$POLICY"; fi' EXIT
apt-get update
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
  -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}"
