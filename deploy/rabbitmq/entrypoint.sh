#!/bin/sh
# docker compose's RabbitMQ entry: writes the definitions the broker loads at boot (load_definitions in
# rabbitmq.conf) — the hub's user from RABBITMQ_USER/RABBITMQ_PASSWORD plus the topology generated from
# HUB_TOPOLOGY (definitions.json) — then hands over to the image's own entrypoint.
# Why the user is in the file: a node that loads definitions at boot does not create a default user.
# Runs on every start, so a changed password in .env applies at the next restart.
set -eu

: "${RABBITMQ_USER:?set RABBITMQ_USER}"
: "${RABBITMQ_PASSWORD:?set RABBITMQ_PASSWORD}"
# Both go into AMQP_URL unencoded and into JSON here unescaped: allow only URL- and JSON-safe characters.
for value in "$RABBITMQ_USER" "$RABBITMQ_PASSWORD"; do
  case "$value" in
    *[!A-Za-z0-9._~-]*)
      echo "RABBITMQ_USER and RABBITMQ_PASSWORD may contain only A-Z a-z 0-9 . _ ~ - (e.g. openssl rand -hex 24)" >&2
      exit 1
      ;;
  esac
done

# Paths as mounted by docker-compose.yml (variables only so deploy/test can run this script).
target=${DEFINITIONS_FILE:-/etc/rabbitmq/definitions.json}
topology=${TOPOLOGY_FILE:-/opt/gassistant/topology.json}
# The topology file is one JSON object whose first line is "{": the access entries go in right after it.
if [ "$(head -n 1 "$topology")" != "{" ]; then
  echo "$topology must start with a line holding only {" >&2
  exit 1
fi
umask 077
{
  echo "{"
  printf '  "users": [{ "name": "%s", "password": "%s", "tags": "administrator" }],\n' "$RABBITMQ_USER" "$RABBITMQ_PASSWORD"
  echo '  "vhosts": [{ "name": "/" }],'
  printf '  "permissions": [{ "user": "%s", "vhost": "/", "configure": ".*", "write": ".*", "read": ".*" }],\n' "$RABBITMQ_USER"
  tail -n +2 "$topology"
} > "$target"
# The image's entrypoint drops to the rabbitmq user before the broker reads the file.
if [ "$(id -u)" = 0 ] && id rabbitmq >/dev/null 2>&1; then chown rabbitmq:rabbitmq "$target"; fi

exec docker-entrypoint.sh "$@"
