#!/usr/bin/env bash
# The Python baseline (python-docx + jieba + tantivy's Python binding, and + Whoosh) on the
# corpus bench/run.sh generated, for the README's comparison.
#   bench/python.sh [DOCS] [WORKDIR] [ENGINES]    (defaults: 20000, /tmp/dangan-bench, "tantivy whoosh")
# Needs: pip install python-docx jieba whoosh tantivy
set -euo pipefail
cd "$(dirname "$0")/.."
docs=${1:-20000}
work=${2:-/tmp/dangan-bench}
engines=${3:-tantivy whoosh}
corpus="$work/corpus-$docs"
if [ ! -f "$corpus/corpus.json" ]; then
    echo "no corpus at $corpus: run bench/run.sh $docs $work first" >&2
    exit 2
fi
queries=("河长制" "安全生产" "民族团结 宣传月" "投入资金" "群众满意度")
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
for engine in $engines; do
    rm -rf "$work/py-$engine"
    /usr/bin/time -f "%e %M" -o "$work/py-time.txt" \
        python3 bench/python_baseline.py index --engine "$engine" "$corpus" "$work/py-$engine"
    read -r secs rss <"$work/py-time.txt"
    echo "python $engine index: $secs s, peak RSS $((rss / 1024)) MB"
    if [ -f "$work/dangan-index-seconds" ]; then
        echo "  dangan indexed the same corpus $(echo "scale=1; $secs / $(cat "$work/dangan-index-seconds")" | bc)x faster"
    fi
    times=()
    for q in "${queries[@]}"; do
        for _ in 1 2 3; do
            start=$(date +%s.%N)
            python3 bench/python_baseline.py search --engine "$engine" "$work/py-$engine" "$q" >/dev/null
            end=$(date +%s.%N)
            times+=("$(echo "$end - $start" | bc)")
        done
    done
    echo "python $engine search, whole process: median $(printf '%s\n' "${times[@]}" | median) s over ${#times[@]} runs"
done
