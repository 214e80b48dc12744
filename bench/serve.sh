#!/usr/bin/env bash
# Load benchmark of `dangan serve` (not a test): 32 concurrent clients for 20 s against the
# bench index, searching bench_search's queries through /api/search.
#   bench/serve.sh [DOCS] [WORKDIR]      (defaults: 20000, /tmp/dangan-bench)
# Builds the index with bench/run.sh's corpus when it is not there. Needs wrk (Debian's
# package; installed with apt-get when missing and running as root). Prints requests/s,
# latency p50/p90/p99, errors, the server's own time per search (the Server-Timing header,
# one client, median of 200) and the server's peak RSS.
set -euo pipefail
cd "$(dirname "$0")/.."
docs=${1:-20000}
work=${2:-/tmp/dangan-bench}
command -v wrk >/dev/null || { apt-get update -q && apt-get install -y -q wrk; }
cargo build --release --quiet --bin dangan
corpus="$work/corpus-$docs"
index="$work/serve-index-$docs"
if [ ! -f "$corpus/corpus.json" ]; then
    rm -rf "$corpus"
    cargo run --release --quiet --example gen_corpus -- --docs "$docs" --out "$corpus"
fi
target/release/dangan index --index "$index" "$corpus" 2>/dev/null
port=$((20000 + RANDOM % 20000))
target/release/dangan serve --index "$index" --listen "127.0.0.1:$port" 2>"$work/serve.log" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do
    curl -sf "http://127.0.0.1:$port/api/years" >/dev/null && break
    sleep 0.1
done
echo "corpus: $(cat "$corpus/corpus.json")"
echo "warm-up: 5 s"
wrk -t2 -c32 -d5s -s bench/serve.lua "http://127.0.0.1:$port" >/dev/null
echo "load: 32 clients, 20 s"
wrk -t2 -c32 -d20s --latency -s bench/serve.lua "http://127.0.0.1:$port" | grep -E "Requests/sec|requests|latency|Non-2xx|Socket errors"
# The server's own time per search, one client at a time.
times=()
for i in $(seq 200); do
    q=$(sed -n "$(( (i % 20) + 1 ))p" <<'Q'
%E6%B2%B3%E9%95%BF%E5%88%B6
%E5%AE%89%E5%85%A8%E7%94%9F%E4%BA%A7
%E6%B0%91%E6%97%8F%E5%9B%A2%E7%BB%93%20%E5%AE%A3%E4%BC%A0%E6%9C%88
%E6%97%8F%E5%9B%A2
%E4%B9%A1%E6%9D%91%E6%8C%AF%E5%85%B4%20OR%20%E6%B2%B3%E9%95%BF%E5%88%B6
%E5%AE%89%E5%85%A8%E7%94%9F%E4%BA%A7%20-%E7%96%AB%E6%83%85
%E9%9A%90%E6%82%A3%E6%8E%92%E6%9F%A5%E6%B2%BB%E7%90%86
%E6%8A%95%E5%85%A5%E8%B5%84%E9%87%91
2019
%E5%AE%8C%E6%88%90%E7%8E%87
%22%E5%B7%A5%E4%BD%9C%E8%B4%A3%E4%BB%BB%E5%88%B6%22
title%3A%E5%B7%A5%E4%BD%9C%E6%80%BB%E7%BB%93
%E9%9D%92%E5%B1%B1%E9%95%87%20%E9%98%B2%E6%B1%9B
%E9%95%BF%E6%95%88%E7%AE%A1%E6%8A%A4%E6%9C%BA%E5%88%B6%20%E7%A4%BA%E8%8C%83%E7%82%B9
%E4%BA%BA%E5%B1%85%E7%8E%AF%E5%A2%83%20%E6%95%B4%E6%B2%BB%20%E6%88%90%E6%95%88
%E5%90%8C%E6%AF%94%E5%A2%9E%E9%95%BF%205.5%25
%E5%9F%BA%E5%B1%82%E5%85%9A%E5%BB%BA%20%E8%BF%B0%E8%81%8C%E6%8A%A5%E5%91%8A
%E6%95%B0%E5%AD%97%E4%B9%A1%E6%9D%91%E5%BB%BA%E8%AE%BE%202023
%E7%BE%A4%E4%BC%97%E6%BB%A1%E6%84%8F%E5%BA%A6
%E8%81%94%E9%98%B2%E8%81%94%E6%8E%A7
Q
)
    times+=("$(curl -s -D - -o /dev/null "http://127.0.0.1:$port/api/search?q=$q" | tr -d '\r' | sed -n 's/^server-timing: search;dur=//Ip')")
done
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 100p)
p95=$(printf '%s\n' "${times[@]}" | sort -n | sed -n 190p)
echo "server time per search (Server-Timing, one client): median $median ms, p95 $p95 ms"
echo "server peak RSS: $(sed -n 's/^VmHWM:\s*//p' "/proc/$server/status")"
