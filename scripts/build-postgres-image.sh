#!/usr/bin/env bash
# The container path without Docker and without a registry: installs Podman (with runc and
# mmdebstrap) if missing, writes a containers.conf for this kind of host under the repository's
# own .podman/ folder (nothing under /etc is edited), and builds localhost/fkharness-postgres:15
# from Debian's postgresql-15 package with an entrypoint that honours the official image's
# environment contract (POSTGRES_USER, POSTGRES_PASSWORD or POSTGRES_PASSWORD_FILE, POSTGRES_DB, PGDATA).
# Then: dotnet run --project src/FkHarness.AppHost -- --postgres container --postgres-image localhost/fkharness-postgres:15
# Idempotent: an image built from this script's entrypoint is kept (FKHARNESS_REBUILD_IMAGE=1 rebuilds it). Needs root (apt-get, podman as root).
set -euo pipefail
cd "$(dirname "$0")/.."
image=localhost/fkharness-postgres:15
conf_dir="$PWD/.podman"
export CONTAINERS_CONF="$conf_dir/containers.conf"

missing=()
for tool in podman runc mmdebstrap; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
if [ ${#missing[@]} -gt 0 ]; then
  echo "== installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq podman runc mmdebstrap >/dev/null
fi

# crun (podman's default) refuses a hybrid cgroup layout and cgroup v1; systemd may not be PID 1;
# without CAP_SYS_RESOURCE podman's default ulimits cannot be set. The AppHost finds this file here.
mkdir -p "$conf_dir"
cat > "$CONTAINERS_CONF" <<'CONF'
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"

[containers]
default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
CONF

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat > "$work/docker-entrypoint.sh" <<'ENTRYPOINT'
#!/bin/sh
# The official postgres image's contract, in short: POSTGRES_PASSWORD (required), POSTGRES_USER
# (default postgres), POSTGRES_DB (default the user), PGDATA; POSTGRES_INITDB_ARGS and
# POSTGRES_HOST_AUTH_METHOD (default scram-sha-256) as Aspire passes them; POSTGRES_PASSWORD_FILE
# instead of POSTGRES_PASSWORD (a mounted secret, read here as root: the AppHost's way, so the
# password is in no environment), as the official image's file_env reads any *_FILE variable.
set -eu
if [ -n "${POSTGRES_PASSWORD_FILE:-}" ]; then
  if [ -n "${POSTGRES_PASSWORD:-}" ]; then
    echo "error: both POSTGRES_PASSWORD and POSTGRES_PASSWORD_FILE are set (but they are exclusive)" >&2
    exit 1
  fi
  POSTGRES_PASSWORD=$(cat "$POSTGRES_PASSWORD_FILE")
  unset POSTGRES_PASSWORD_FILE
fi
export PATH="/usr/lib/postgresql/15/bin:$PATH"
: "${PGDATA:=/var/lib/postgresql/data}"
: "${POSTGRES_USER:=postgres}"
: "${POSTGRES_DB:=$POSTGRES_USER}"
: "${POSTGRES_HOST_AUTH_METHOD:=scram-sha-256}"
as_postgres() { setpriv --reuid=postgres --regid=postgres --init-groups "$@"; }
if [ "${1:-}" = postgres ]; then
  shift
  mkdir -p "$PGDATA" /var/run/postgresql
  chown -R postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  if [ ! -s "$PGDATA/PG_VERSION" ]; then
    : "${POSTGRES_PASSWORD:?POSTGRES_PASSWORD must be set}"
    pwfile=$(mktemp)
    printf '%s' "$POSTGRES_PASSWORD" > "$pwfile"
    chown postgres "$pwfile"
    # shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is a list of arguments, as in the official image
    as_postgres initdb -D "$PGDATA" -U "$POSTGRES_USER" --pwfile="$pwfile" -E UTF8 --locale=C.UTF-8 ${POSTGRES_INITDB_ARGS:-}
    rm -f "$pwfile"
    printf 'host all all all %s\n' "$POSTGRES_HOST_AUTH_METHOD" >> "$PGDATA/pg_hba.conf"
    if [ "$POSTGRES_DB" != postgres ]; then
      as_postgres pg_ctl -D "$PGDATA" -o "-c listen_addresses=''" -w start >/dev/null
      PGPASSWORD="$POSTGRES_PASSWORD" as_postgres psql -v ON_ERROR_STOP=1 -U "$POSTGRES_USER" -d postgres -h /var/run/postgresql \
        -c "CREATE DATABASE \"$POSTGRES_DB\"" >/dev/null
      as_postgres pg_ctl -D "$PGDATA" -m fast -w stop >/dev/null
    fi
  fi
  exec setpriv --reuid=postgres --regid=postgres --init-groups postgres -D "$PGDATA" -c listen_addresses='*' "$@"
fi
exec "$@"
ENTRYPOINT
chmod 755 "$work/docker-entrypoint.sh"

# The image records which entrypoint it was built with: one built by an older version of this
# script (e.g. without POSTGRES_PASSWORD_FILE) is rebuilt, an up-to-date one is kept.
entrypoint_hash=$(sha256sum "$work/docker-entrypoint.sh" | cut -c1-16)
if podman image exists "$image" && [ "${FKHARNESS_REBUILD_IMAGE:-0}" != 1 ] \
   && [ "$(podman image inspect --format '{{ index .Labels "fkharness.entrypoint" }}' "$image")" = "$entrypoint_hash" ]; then
  echo "== $image is already built"
  exit 0
fi

echo "== building $image from Debian's postgresql-15 (mmdebstrap)"
# The Debian cluster the package creates is removed: the entrypoint makes its own in PGDATA.
mmdebstrap --quiet --variant=minbase --include=postgresql-15,ca-certificates \
  --customize-hook='copy-in '"$work"'/docker-entrypoint.sh /usr/local/bin' \
  --customize-hook='chroot "$1" sh -c "pg_dropcluster 15 main 2>/dev/null || true; rm -rf /var/lib/apt/lists/* /var/cache/apt/*"' \
  bookworm "$work/rootfs.tar"
podman import \
  --change 'ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]' \
  --change 'CMD ["postgres"]' \
  --change 'STOPSIGNAL SIGINT' \
  --change 'ENV PGDATA=/var/lib/postgresql/data' \
  --change 'ENV PATH=/usr/lib/postgresql/15/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'EXPOSE 5432' \
  --change "LABEL fkharness.entrypoint=$entrypoint_hash" \
  --quiet "$work/rootfs.tar" "$image" >/dev/null
echo "== built $image"
