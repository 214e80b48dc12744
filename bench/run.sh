#!/usr/bin/env bash
# Indexing and search benchmark on a generated corpus.
#   bench/run.sh [DOCS] [WORKDIR]      (defaults: 20000, /tmp/dangan-bench)
# Prints: corpus size, full-index time (median of 3 fresh builds, with peak RSS when
# /usr/bin/time is there), index size against text size, search latencies, and the floor
# (bench_bare: the bare pipeline alone and with the exact-match field).
set -euo pipefail
cd "$(dirname "$0")/.."
docs=${1:-20000}
work=${2:-/tmp/dangan-bench}
cargo build --release --quiet --bin dangan --example gen_corpus --example bench_search --example bench_bare
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
echo "$median" >"$work/dangan-index-seconds"
text_bytes=$(sed 's/.*"text_bytes": \([0-9]*\).*/\1/' "$corpus/corpus.json")
index_bytes=$(du -sb "$work/index" | cut -f1)
echo "full index: median $median s for $docs documents ($(echo "$docs / $median" | bc) docs/s, $(echo "scale=1; $text_bytes / 1000000 / $median" | bc) MB/s of text)"
echo "index size: $index_bytes bytes = $(echo "scale=2; $index_bytes / $text_bytes" | bc) x the text ($text_bytes bytes)"

# Re-runs: nothing changed, then 1% of the files replaced by other reports.
reruns=()
for run in 1 2 3; do
    start=$(date +%s.%N)
    target/release/dangan index --index "$work/index" "$corpus" 2>"$work/rerun.log"
    end=$(date +%s.%N)
    reruns+=("$(echo "$end - $start" | bc)")
done
rerun=$(printf '%s\n' "${reruns[@]}" | sort -n | sed -n 2p)
echo "unchanged re-run: median $rerun s ($(echo "scale=1; 100 * $rerun / $median" | bc)% of the full build); $(grep 'documents found' "$work/rerun.log")"
changes=$((docs / 100))
rm -rf "$work/changes"
target/release/examples/gen_corpus --docs "$changes" --out "$work/changes" --seed 2 >/dev/null
mapfile -t originals < <(find "$corpus" -name '*.docx' | sort | head -n "$changes")
mapfile -t replacements < <(find "$work/changes" -name '*.docx' | sort)
backup="$work/backup"
rm -rf "$backup" && mkdir -p "$backup"
for i in "${!originals[@]}"; do
    cp "${originals[$i]}" "$backup/$i.docx"
    cp "${replacements[$i]}" "${originals[$i]}"
done
start=$(date +%s.%N)
target/release/dangan index --index "$work/index" "$corpus" 2>"$work/rerun.log"
end=$(date +%s.%N)
changed=$(echo "$end - $start" | bc)
echo "1% changed re-run: $changed s ($(echo "scale=1; 100 * $changed / $median" | bc)% of the full build); $(grep 'documents found' "$work/rerun.log")"
for i in "${!originals[@]}"; do
    cp "$backup/$i.docx" "${originals[$i]}"
done
target/release/dangan index --index "$work/index" "$corpus" 2>/dev/null

target/release/examples/bench_search --index "$work/index"

# The floor: the issue's bare pipeline (inflate, w:t, jieba, one tantivy field), then the
# same with only dangan's positional bigram field added.
target/release/examples/bench_bare "$corpus" "$work/bare-index"
target/release/examples/bench_bare "$corpus" "$work/bare-index" --exact
rm -rf "$work/bare-index"
