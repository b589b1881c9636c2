#!/bin/sh
# docker compose's odoo-bootstrap one-shot, in the odoo image: runs bootstrap.py in `odoo shell` against
# ODOO_DB (created by odoo-init), then hands the API key file to the services' user. Idempotent.
set -eu
: "${ODOO_DB:?set ODOO_DB}"
: "${API_KEY_FILE:?set API_KEY_FILE}"
: "${API_KEY_OWNER_UID:?set API_KEY_OWNER_UID}"
# libpq reads these; on the command line the password would show in the process list.
export PGHOST="$HOST" PGUSER="$USER" PGPASSWORD="$PASSWORD"
mkdir -p "$(dirname "$API_KEY_FILE")"
odoo shell -d "$ODOO_DB" --no-http --log-level=warn < /opt/gassistant/bootstrap.py
# Only the services' user (node, uid 1000 in deploy/Dockerfile) may read the key.
chown "$API_KEY_OWNER_UID:$API_KEY_OWNER_UID" "$API_KEY_FILE"
chmod 0400 "$API_KEY_FILE"
echo "odoo-bootstrap: done"
