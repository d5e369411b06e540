#!/bin/sh
# One-shot (temporalio/admin-tools), once the server answers: the namespace ledgerbridge runs in and the
# search attributes its workflows set (workflows/search-attributes.ts; test/deployment-compose.test.ts
# checks this list against it). Safe to run again: what exists is left alone.
set -eu
NAMESPACE="${TEMPORAL_NAMESPACE:-default}"
export TEMPORAL_ADDRESS="${TEMPORAL_ADDRESS:-temporal:7233}"

echo "Waiting for Temporal at ${TEMPORAL_ADDRESS}..."
until temporal operator cluster health >/dev/null 2>&1; do sleep 2; done

temporal operator namespace describe -n "$NAMESPACE" >/dev/null 2>&1 || temporal operator namespace create -n "$NAMESPACE" --retention 720h

# The frontend learns of a new namespace by polling the database (every few seconds with SQL persistence):
# until then it answers "Namespace default is not found", so wait for it before registering attributes.
tries=0
until existing="$(temporal operator search-attribute list -n "$NAMESPACE" 2>/dev/null)"; do
  tries=$((tries + 1))
  if [ "$tries" -ge 60 ]; then echo "Namespace $NAMESPACE is not served after 60 s" >&2; exit 1; fi
  sleep 1
done
for attribute in RouteId:Keyword IntegrationIds:KeywordList OrderId:Keyword SyncState:Keyword SyncErrorCode:Keyword IntegrationStatus:Keyword; do
  name="${attribute%%:*}"
  type="${attribute#*:}"
  if echo "$existing" | grep -qw "$name"; then
    echo "search attribute $name exists"
  else
    temporal operator search-attribute create -n "$NAMESPACE" --name "$name" --type "$type"
  fi
done
echo "Namespace $NAMESPACE and its search attributes are ready."
