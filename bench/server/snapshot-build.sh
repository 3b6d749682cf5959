#!/bin/sh
# Compiles HEAD's src/ and bots/ plus YOUR listed working-tree files into DIR (default bench/server/tmp/snap),
# so a bench of your change does not pick up other people's half-edited files in the shared checkout.
#   sh bench/server/snapshot-build.sh DIR [file ...]        then: node bench/server/run.mjs --build DIR/build
set -e
cd "$(dirname "$0")/../.."
DIR=${1:-bench/server/tmp/snap}; shift || true
rm -rf "$DIR" && mkdir -p "$DIR"
git archive HEAD src bots tsconfig.json tsconfig.build.json | tar -x -C "$DIR"
for f in "$@"; do mkdir -p "$DIR/$(dirname "$f")" && cp "$f" "$DIR/$f"; done
# node_modules resolve upwards from DIR to the checkout's
npx tsc -p "$DIR/tsconfig.build.json" --outDir "$DIR/build"
