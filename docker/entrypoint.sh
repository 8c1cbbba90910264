#!/bin/sh
# The Stratum image's entrypoint: the first argument chooses the process (docs/operations.md).
#
#   gateway | ingest | dedup | identity-resolution | delivery-adapter | retry | profile-api
#                    the service, run as `pnpm start` runs it: node --import tsx services/<name>/src/main.ts
#   migrate          the one-shot job before the services start: `stratum db migrate`, then
#                    `stratum topics apply --brokers $KAFKA_BROKERS` (both idempotent)
#   topics [flags]   `stratum topics apply --brokers $KAFKA_BROKERS [flags]` alone (e.g. --check)
#   stratum <args>   any stratum command: tenant create, writekey rotate, dlq replay, ...
#
# Value schemas need no step here: every service registers the schemas of the topics it writes
# when it starts (createSerde; the gateway at its first publish), and a reader never needs its
# input's subject to exist.
#
# tini is PID 1 and forwards signals; each branch ends in `exec`, so the SIGTERM of `docker stop`
# or Kubernetes reaches node itself, which drains and exits 0.
set -eu

# The workspace root, one level up (/app in the image, the repository in infra/test/compose.test.ts).
cd "$(dirname "$0")/.."

cli() {
  node --import tsx packages/cli/src/main.ts "$@"
}

usage() {
  cat <<'EOF'
usage: <image> gateway | ingest | dedup | identity-resolution | delivery-adapter | retry | profile-api
       <image> migrate              apply database migrations and the topic catalogue
       <image> topics [flags]       apply (or --check) the topic catalogue
       <image> stratum <command>    any stratum command (stratum --help)
EOF
}

require_brokers() {
  if [ -z "${KAFKA_BROKERS:-}" ]; then
    echo "$1 needs KAFKA_BROKERS (host:port,...) to create the catalogue's topics" >&2
    exit 64
  fi
}

command="${1:-help}"
[ "$#" -gt 0 ] && shift

case "$command" in
  identity-resolution)
    # A larger young generation: the person import allocates short-lived comparison and plan
    # objects by the million, and with V8's default most of them were promoted and collected again
    # (garbage collection 11 % of the process at 200k rows, 7 % with this; BENCHMARKS.md, Import).
    exec node --max-semi-space-size=64 --import tsx "services/$command/src/main.ts"
    ;;
  gateway | ingest | dedup | delivery-adapter | retry | profile-api)
    exec node --import tsx "services/$command/src/main.ts"
    ;;
  migrate)
    require_brokers migrate
    # Services refuse to start (exit 78) on a database with pending migrations, so these go first.
    cli db migrate
    exec node --import tsx packages/cli/src/main.ts topics apply --brokers "$KAFKA_BROKERS"
    ;;
  topics)
    require_brokers topics
    exec node --import tsx packages/cli/src/main.ts topics apply --brokers "$KAFKA_BROKERS" "$@"
    ;;
  stratum)
    exec node --import tsx packages/cli/src/main.ts "$@"
    ;;
  help | -h | --help)
    usage
    ;;
  *)
    echo "unknown command: $command" >&2
    usage >&2
    exit 64
    ;;
esac
