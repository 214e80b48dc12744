#!/usr/bin/env bash
# Release profile options side by side: the cold build (every dependency, as a newcomer's
# first `cargo run --release`), the rebuild of dangan's own crate, and full-index time on
# the bench corpus, the profiles interleaved run by run.
#   bench/profile.sh [DOCS] [WORKDIR]      (defaults: 20000, /tmp/dangan-profiles)
# Each profile builds in WORKDIR/target-NAME from nothing: takes 5-10 min a profile on 2
# cores. Run it on a quiet machine; the build times are wall clock.
set -euo pipefail
cd "$(dirname "$0")/.."
docs=${1:-20000}
work=${2:-/tmp/dangan-profiles}
mkdir -p "$work"
# name:lto:codegen-units
profiles=(fat1:fat:1 thin16:thin:16 off16:false:16)
build() { # name lto cgu
    CARGO_PROFILE_RELEASE_LTO=$2 CARGO_PROFILE_RELEASE_CODEGEN_UNITS=$3 \
        cargo build --release --locked --quiet --bin dangan --target-dir "$work/target-$1"
}
for p in "${profiles[@]}"; do
    IFS=: read -r name lto cgu <<<"$p"
    rm -rf "$work/target-$name"
    start=$(date +%s.%N); build "$name" "$lto" "$cgu"; end=$(date +%s.%N)
    touch src/lib.rs
    start2=$(date +%s.%N); build "$name" "$lto" "$cgu"; end2=$(date +%s.%N)
    echo "$name (lto=$lto, codegen-units=$cgu): cold build $(echo "$end - $start" | bc) s, dangan's crate alone $(echo "$end2 - $start2" | bc) s"
done
corpus="$work/corpus-$docs"
if [ ! -f "$corpus/corpus.json" ]; then
    cargo run --release --quiet --example gen_corpus -- --docs "$docs" --out "$corpus" >/dev/null
fi
declare -A times
for round in 1 2 3 4 5; do
    for p in "${profiles[@]}"; do
        name=${p%%:*}
        rm -rf "$work/index-$name"
        start=$(date +%s.%N)
        "$work/target-$name/release/dangan" index --index "$work/index-$name" "$corpus" 2>/dev/null
        end=$(date +%s.%N)
        times[$name]+="$(echo "$end - $start" | bc) "
    done
done
for p in "${profiles[@]}"; do
    name=${p%%:*}
    median=$(tr ' ' '\n' <<<"${times[$name]}" | grep . | sort -n | sed -n 3p)
    echo "$name: full index of $docs documents, median of 5: $median s (runs: ${times[$name]})"
done
