#!/usr/bin/env bash
# Indexing and search benchmark on a generated corpus.
#   bench/run.sh [DOCS] [WORKDIR]      (defaults: 20000, /tmp/dangan-bench)
# Prints: corpus size, full-index time (median of 3 fresh builds, with peak RSS when
# /usr/bin/time is there), index size against text size, and search latencies.
set -euo pipefail
cd "$(dirname "$0")/.."
docs=${1:-20000}
work=${2:-/tmp/dangan-bench}
cargo build --release --quiet --bin dangan --example gen_corpus --example bench_search
corpus="$work/corpus-$docs"
if [ ! -f "$corpus/corpus.json" ]; then
    rm -rf "$corpus"
    target/release/examples/gen_corpus --docs "$docs" --out "$corpus"
fi
echo "corpus: $(cat "$corpus/corpus.json")"
times=()
for run in 1 2 3; do
    rm -rf "$work/index"
    start=$(date +%s.%N)
    if [ -x /usr/bin/time ]; then
        /usr/bin/time -f "peak RSS %M KB" -o "$work/time.txt" target/release/dangan index --index "$work/index" "$corpus" 2>"$work/index.log"
    else
        target/release/dangan index --index "$work/index" "$corpus" 2>"$work/index.log"
    fi
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc)")
    echo "index run $run: ${times[-1]} s $(cat "$work/time.txt" 2>/dev/null || true)"
done
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p)
text_bytes=$(sed 's/.*"text_bytes": \([0-9]*\).*/\1/' "$corpus/corpus.json")
index_bytes=$(du -sb "$work/index" | cut -f1)
echo "full index: median $median s for $docs documents ($(echo "$docs / $median" | bc) docs/s)"
echo "index size: $index_bytes bytes = $(echo "scale=2; $index_bytes / $text_bytes" | bc) x the text ($text_bytes bytes)"
target/release/examples/bench_search --index "$work/index"
