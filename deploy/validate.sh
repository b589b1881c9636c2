#!/bin/sh
# `pnpm deploy:validate`: the deployment files through the real tools, where this machine has them (the checks
# of `pnpm test` need none): docker compose (or docker-compose 1.29, which does not know the top-level `name`)
# renders both compose files, Caddy validates the Caddyfile, kubectl renders the production overlay. Values
# come from .env.example with placeholders for the required secrets. A missing tool is named, never faked.
set -eu
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work" ./.validate-*.yml' EXIT
failed=0
ran=""

sed -e 's/^\(RABBITMQ_PASSWORD\|POSTGRES_PASSWORD\|ODOO_ADMIN_PASSWORD\|ODOO_WEBHOOK_SECRET\|META_APP_SECRET\|META_VERIFY_TOKEN\)=$/\1=placeholder-value/' \
  .env.example > "$work/env"

# compose_config FILE… : renders the files as docker compose would.
compose_config() {
  if docker compose version >/dev/null 2>&1; then
    set -- $(printf -- '-f %s ' "$@")
    docker compose --env-file "$work/env" "$@" config --quiet
  elif command -v docker-compose >/dev/null; then
    files=""
    for file in "$@"; do sed '/^name: /d' "$file" > "./.validate-$file"; files="$files -f ./.validate-$file"; done
    docker-compose --env-file "$work/env" $files config --quiet
  else
    return 127
  fi
}

# run NAME COMMAND…: runs it, shows its output only when it fails; 127 = the tool is not installed.
run() {
  name=$1; shift
  status=0
  "$@" > "$work/out" 2>&1 || status=$?
  case $status in
    0) ran="$ran $name" ;;
    127) echo "deploy:validate: $name: tool not installed, not run" >&2 ;;
    *) cat "$work/out" >&2; echo "deploy:validate: $name FAILED" >&2; failed=1 ;;
  esac
}

run compose compose_config docker-compose.yml
run compose+dev compose_config docker-compose.yml docker-compose.dev.yml
run caddy sh -c 'command -v caddy >/dev/null || exit 127
  HUB_DOMAIN=hub.example.com ACME_EMAIL=ops@example.com caddy validate --config deploy/proxy/Caddyfile --adapter caddyfile'
cp -r deploy/k8s "$work/k8s"
cp deploy/k8s/overlays/production/secrets.env.example "$work/k8s/overlays/production/secrets.env"
run kustomize sh -c "command -v kubectl >/dev/null || exit 127; kubectl kustomize '$work/k8s/overlays/production'"

echo "deploy:validate: ran${ran:- nothing}"
exit "$failed"
