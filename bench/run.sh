#!/usr/bin/env bash
# Indexing and search benchmark on a generated corpus.
#   bench/run.sh [DOCS] [WORKDIR]      (defaults: 20000, /tmp/dangan-bench)
# Prints: corpus size, full-index time (median of 3 fresh builds) and per 1,000 documents,
# peak RSS (when /usr/bin/time is there) and peak RssAnon, index size against text size,
# unchanged and 1%-changed re-runs, search latencies (in-process and whole process, p50 and
# p95, and every hit of a term in nine documents of ten), and the floor (bench_bare: the
# bare pipeline alone and with the exact-match field) with dangan / floor.
set -euo pipefail
cd "$(dirname "$0")/.."
docs=${1:-20000}
work=${2:-/tmp/dangan-bench}
cargo build --release --quiet --bin dangan --example gen_corpus --example bench_search --example bench_bare
command -v pgrep >/dev/null || { echo "bench/run.sh needs pgrep (procps)" >&2; exit 2; }
corpus="$work/corpus-$docs"
if [ ! -f "$corpus/corpus.json" ]; then
    rm -rf "$corpus"
    target/release/examples/gen_corpus --docs "$docs" --out "$corpus"
fi
echo "corpus: $(cat "$corpus/corpus.json")"
# One indexing run, timed; its peak RSS (as /usr/bin/time reports it, when present) and its
# peak RssAnon (the heap: /proc/PID/status sampled every 0.1 s) go to $work/peaks.
index_run() {
    local timer=()
    [ -x /usr/bin/time ] && timer=(/usr/bin/time -f "%M" -o "$work/time.txt")
    rm -f "$work/time.txt"
    "${timer[@]}" target/release/dangan index --index "$work/index" "$corpus" 2>"$work/index.log" &
    local pid=$! anon=0 now child
    sleep 0.05
    # With /usr/bin/time, dangan is its child.
    child=$(pgrep -P "$pid" -x dangan || echo "$pid")
    while kill -0 "$pid" 2>/dev/null; do
        now=$(awk '/^RssAnon/ {print $2}' "/proc/$child/status" 2>/dev/null || true)
        [ -n "$now" ] && [ "$now" -gt "$anon" ] && anon=$now
        sleep 0.1
    done
    wait "$pid"
    echo "$(cat "$work/time.txt" 2>/dev/null || echo 0) $anon" >"$work/peaks"
}

times=()
rss=()
anons=()
for run in 1 2 3; do
    rm -rf "$work/index"
    start=$(date +%s.%N)
    index_run
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc)")
    read -r peak anon <"$work/peaks"
    rss+=("$peak")
    anons+=("$anon")
    echo "index run $run: ${times[-1]} s, peak RSS $((peak / 1024)) MB, peak RssAnon $((anon / 1024)) MB"
done
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p)
echo "$median" >"$work/dangan-index-seconds"
text_bytes=$(sed 's/.*"text_bytes": \([0-9]*\).*/\1/' "$corpus/corpus.json")
index_bytes=$(du -sb "$work/index" | cut -f1)
echo "full index: median $median s for $docs documents ($(echo "scale=3; 1000 * $median / $docs" | bc) s per 1,000 documents, $(echo "$docs / $median" | bc) docs/s, $(echo "scale=1; $text_bytes / 1000000 / $median" | bc) MB/s of text)"
echo "memory: peak RSS median $(($(printf '%s\n' "${rss[@]}" | sort -n | sed -n 2p) / 1024)) MB, peak RssAnon median $(($(printf '%s\n' "${anons[@]}" | sort -n | sed -n 2p) / 1024)) MB"
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
target/release/examples/bench_bare "$corpus" "$work/bare-index" --exact | tee "$work/floor.txt"
rm -rf "$work/bare-index"
floor=$(sed -n 's/.* in \([0-9.]*\) s median.*/\1/p' "$work/floor.txt")
echo "dangan / floor: $(echo "scale=2; $median / $floor" | bc) (dangan $median s, bench_bare --exact $floor s, medians of 3)"
