#!/usr/bin/env bash
# Extraction throughput per format (MB/s of extracted text, one core): generated reports
# as .docx, and the same reports converted to Word 97-2003 .doc by LibreOffice.
#   bench/formats.sh [DOCS] [WORKDIR]      (defaults: 300, /tmp/dangan-formats)
# Needs soffice (apt-get install libreoffice-writer-nogui).
set -euo pipefail
cd "$(dirname "$0")/.."
docs=${1:-300}
work=${2:-/tmp/dangan-formats}
cargo build --release --quiet --example gen_corpus --example bench_formats
if [ ! -f "$work/docx/corpus.json" ]; then
    rm -rf "$work"
    target/release/examples/gen_corpus --docs "$docs" --out "$work/docx" >/dev/null
    mkdir -p "$work/doc"
    find "$work/docx" -name '*.docx' -print0 |
        xargs -0 soffice --headless --norestore --convert-to doc --outdir "$work/doc" >/dev/null 2>&1
fi
# Compare like with like: only the reports that were converted.
mkdir -p "$work/pairs"
rm -rf "$work/pairs"/*
for doc in "$work/doc"/*.doc; do
    name=$(basename "$doc" .doc)
    src=$(find "$work/docx" -name "$name.docx" | head -n 1)
    [ -n "$src" ] && cp "$src" "$doc" "$work/pairs/"
done
target/release/examples/bench_formats "$work/pairs"
