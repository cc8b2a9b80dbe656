#!/usr/bin/env bash
# The whole test suite, against a real Elasticsearch.
# Without NEWSINDEX_ES_URL it starts the local test Elasticsearch (newsindex dev-es) and always stops
# it at the end; with NEWSINDEX_ES_URL set it uses that cluster instead. Extra args go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
started=0
cleanup() {
  if [ "$started" = 1 ]; then
    "$PY" -m crawler.cli dev-es stop >/dev/null || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
# the test server is an instance of its own: a developer's `newsindex dev-es start` is left alone
export NEWSINDEX_DEV_ES_INSTANCE="${NEWSINDEX_DEV_ES_INSTANCE:-$PWD/.cache/dev-es/test-run}"
if [ -z "${NEWSINDEX_ES_URL:-}" ]; then
  echo "starting the test Elasticsearch (newsindex dev-es start)..."
  started=1
  NEWSINDEX_ES_URL=$("$PY" -m crawler.cli dev-es start)
  export NEWSINDEX_ES_URL
  echo "Elasticsearch at $NEWSINDEX_ES_URL"
fi
export NEWSINDEX_TESTS_REQUIRE_ES=1
if [ "$#" -eq 0 ]; then  # the full run also holds the code to the house rules
  "$PY" -m ruff check .
  "$PY" -m mypy
fi
"$PY" -m pytest "$@"
