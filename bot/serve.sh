#!/usr/bin/env bash
# Starts the action server and the Rasa server (REST + socket.io) and stops both on exit.
# Used by `make run`; expects the model and catalogs built (make does that first).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${RASA_PORT:=5005}" "${ACTION_SERVER_HOST:=127.0.0.1}" "${ACTION_SERVER_PORT:=5055}"
: "${ASSISTANT_STAFF_HOST:=127.0.0.1}" "${ASSISTANT_STAFF_PORT:=5080}"
: "${ASSISTANT_WEBCHAT_HOST:=127.0.0.1}" "${ASSISTANT_WEBCHAT_PORT:=5070}"
export RASA_PORT ACTION_SERVER_HOST ACTION_SERVER_PORT ASSISTANT_STAFF_HOST ASSISTANT_STAFF_PORT
export ASSISTANT_WEBCHAT_HOST ASSISTANT_WEBCHAT_PORT
export PYTHONPATH="$PWD" RASA_TELEMETRY_ENABLED=false TF_CPP_MIN_LOG_LEVEL=2
mkdir -p .run

.venv/bin/python -m actions.server > .run/actions.log 2>&1 &
actions_pid=$!
.venv/bin/python -m staff serve --host "${ASSISTANT_STAFF_HOST}" --port "${ASSISTANT_STAFF_PORT}" \
  > .run/staff.log 2>&1 &
staff_pid=$!
.venv/bin/python -m webchat --host "${ASSISTANT_WEBCHAT_HOST}" --port "${ASSISTANT_WEBCHAT_PORT}" \
  > .run/webchat.log 2>&1 &
webchat_pid=$!
trap 'kill "$actions_pid" "$staff_pid" "$webchat_pid" 2>/dev/null || true' EXIT INT TERM

for _ in $(seq 1 60); do
  if .venv/bin/python -c "import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=1)" \
      "http://${ACTION_SERVER_HOST}:${ACTION_SERVER_PORT}/health" 2>/dev/null; then break; fi
  if ! kill -0 "$actions_pid" 2>/dev/null; then
    echo "The action server did not start; see .run/actions.log:"; tail -n 20 .run/actions.log; exit 1
  fi
  sleep 0.5
done

cat <<MSG
Action server: http://${ACTION_SERVER_HOST}:${ACTION_SERVER_PORT} (log: .run/actions.log)
Web chat: http://${ASSISTANT_WEBCHAT_HOST}:${ASSISTANT_WEBCHAT_PORT}/chat (kiosk: /chat?kiosk=1; log: .run/webchat.log)
Staff web app: http://${ASSISTANT_STAFF_HOST}:${ASSISTANT_STAFF_PORT}/ (log: .run/staff.log)
  first admin account: .venv/bin/python -m staff create-admin YOUR-NAME
Starting Rasa on http://localhost:${RASA_PORT} ...
When it says "Rasa server is up and running", talk to it:
  - in a terminal:    make chat
  - over HTTP (REST): curl -s localhost:${RASA_PORT}/webhooks/rest/webhook -d '{"sender":"me","message":"hello"}'
  - socket.io:        ws://localhost:${RASA_PORT}/socket.io (web chat widgets)
  - messaging apps:   /webhooks/{telegram,twilio,facebook}/webhook, each on once its
                      variables are set (README, "Messaging apps")
Stop with Ctrl-C.
MSG
# Rasa's HTTP API (trackers, model, ...) only with a token or a JWT secret; the channel
# webhooks never need one. Browsers may call Rasa from the configured origins only.
api=()
[ -n "${RASA_AUTH_TOKEN:-}" ] && api+=(--enable-api "--auth-token=$RASA_AUTH_TOKEN")
[ -n "${RASA_JWT_SECRET:-}" ] && api+=(--enable-api "--jwt-secret=$RASA_JWT_SECRET" \
  --jwt-method "${RASA_JWT_METHOD:-HS256}")
read -ra origins <<< "${ASSISTANT_CORS_ORIGINS:-http://localhost:${ASSISTANT_WEBCHAT_PORT} http://127.0.0.1:${ASSISTANT_WEBCHAT_PORT}}"
export SANIC_REQUEST_MAX_SIZE="${SANIC_REQUEST_MAX_SIZE:-1048576}"
.venv/bin/rasa run --model models/current.tar.gz --port "$RASA_PORT" \
  --endpoints bot/endpoints.yml --credentials bot/credentials.yml --cors "${origins[@]}" "${api[@]}"
