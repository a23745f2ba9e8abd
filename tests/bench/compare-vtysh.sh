#!/usr/bin/env bash
# frrlint against FRR's own checker on the same generated configurations.
#
# Writes the benchmark's configs (50,000, 100,000 and 200,000 lines, from benches/check.rs),
# checks that FRR's vtysh accepts each, then times `frrlint check` (release binary, every
# rule, JSON output) and `vtysh -C -f` on each, RUNS times, and reports the median wall
# times, the ratio, time per line (linear growth), and frrlint's peak memory (max RSS)
# against the file size. The two programs take turns, run by run, so that both are timed
# in the same minutes of a shared machine whose speed drifts over minutes; the ratio is the
# median of the ratios of the pairs. Then the same for files of a few very long lists
# written in their worst orders (benches/check.rs, generate_lists), where a reader that
# scans or shifts a whole list per line would be quadratic. Exits 1 if a target is missed:
# frrlint at least 25x faster than vtysh on the largest file, time per line at 200k within
# 1.5x of 50k (on both kinds of file), max RSS under 4x the file size.
#
# Usage: tests/bench/compare-vtysh.sh [RUNS]      (from the repository root; RUNS=5)
set -euo pipefail

RUNS=${1:-5}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/frrlint-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

VTYSH=$(command -v vtysh || true)
if [ -z "$VTYSH" ]; then
    echo "vtysh (FRR) is not installed: run tests/setup-deps.sh" >&2
    exit 2
fi
if [ ! -x /usr/bin/time ]; then
    echo "/usr/bin/time (Debian package time) is needed for peak memory" >&2
    exit 2
fi

cargo build --release --quiet --bin frrlint
FRRLINT=$TARGET_DIR/release/frrlint
cargo bench --quiet --bench check -- --write-config "$WORK" 50000 100000 200000 >/dev/null

# Wall time of one run of a command, in microseconds, read from the shell's own clock
# (EPOCHREALTIME): two `date` processes around the command added their own start-up, about
# 1.6 ms, to every run of either program.
wall_us() {
    local start end
    start=${EPOCHREALTIME/[.,]/}
    "$@" >/dev/null 2>&1 || true
    end=${EPOCHREALTIME/[.,]/}
    echo $((end - start))
}

# The median of some numbers, one per line.
median() {
    sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}

# Time frrlint and vtysh on FILE, taking turns RUNS times; sets ours and theirs (median ms)
# and ratio (median of the per-pair ratios).
pair_times() {
    local f=$1 a b
    local ours_l=() theirs_l=() ratio_l=()
    for _ in $(seq "$RUNS"); do
        a=$(wall_us "$FRRLINT" check --format json --exit-zero "$f")
        b=$(wall_us "$VTYSH" -C -f "$f")
        ours_l+=("$a")
        theirs_l+=("$b")
        ratio_l+=("$(awk -v a="$a" -v b="$b" 'BEGIN {printf "%.3f", b / a}')")
    done
    ours=$(printf '%s\n' "${ours_l[@]}" | median | awk '{printf "%.1f", $1 / 1000}')
    theirs=$(printf '%s\n' "${theirs_l[@]}" | median | awk '{printf "%.1f", $1 / 1000}')
    ratio=$(printf '%s\n' "${ratio_l[@]}" | median | awk '{printf "%.1f", $1}')
}

# Peak resident memory of a command in KiB.
max_rss_kb() {
    /usr/bin/time -f '%M' -o "$WORK/rss" "$@" >/dev/null 2>&1 || true
    tail -1 "$WORK/rss"
}

echo "frrlint $("$FRRLINT" --version | awk '{print $2}'), FRR $(dpkg-query -W -f '${Version}' frr 2>/dev/null || echo '?'), $(nproc) CPUs, $RUNS runs taking turns, median wall time, median ratio of the pairs"
printf '%-8s %-9s %-12s %-12s %-7s %-14s %-12s %-8s\n' lines bytes frrlint_ms vtysh_ms ratio frrlint_us/line max_rss_MiB rss/file
status=0
declare -A per_line
for n in 50000 100000 200000; do
    f=$WORK/bench-$n.conf
    # The comparison is only fair on a file FRR accepts as a whole.
    if ! out=$("$VTYSH" -C -f "$f" 2>&1) || grep -q '^line [0-9]*:' <<<"$out"; then
        echo "vtysh rejects $f:" >&2
        head -5 <<<"$out" >&2
        exit 2
    fi
    bytes=$(stat -c %s "$f")
    pair_times "$f"
    rss=$(max_rss_kb "$FRRLINT" check --format json --exit-zero "$f")
    us_line=$(awk -v t="$ours" -v n="$n" 'BEGIN {printf "%.3f", t * 1000 / n}')
    rss_mib=$(awk -v k="$rss" 'BEGIN {printf "%.1f", k / 1024}')
    rss_ratio=$(awk -v k="$rss" -v b="$bytes" 'BEGIN {printf "%.2f", k * 1024 / b}')
    per_line[$n]=$us_line
    printf '%-8s %-9s %-12s %-12s %-7s %-14s %-12s %-8s\n' "$n" "$bytes" "$ours" "$theirs" "$ratio" "$us_line" "$rss_mib" "$rss_ratio"
    if [ "$n" = 200000 ]; then
        last_ratio=$ratio
        last_rss_ratio=$rss_ratio
    fi
done

growth=$(awk -v a="${per_line[200000]}" -v b="${per_line[50000]}" 'BEGIN {printf "%.2f", a / b}')

echo
echo "long lists in their worst orders:"
printf '%-8s %-9s %-12s %-12s %-7s %-14s\n' lines bytes frrlint_ms vtysh_ms ratio frrlint_us/line
declare -A lists_per_line
for n in 50000 200000; do
    f=$WORK/lists-$n.conf
    if ! out=$("$VTYSH" -C -f "$f" 2>&1) || grep -q '^line [0-9]*:' <<<"$out"; then
        echo "vtysh rejects $f:" >&2
        head -5 <<<"$out" >&2
        exit 2
    fi
    pair_times "$f"
    lists_per_line[$n]=$(awk -v t="$ours" -v n="$n" 'BEGIN {printf "%.3f", t * 1000 / n}')
    printf '%-8s %-9s %-12s %-12s %-7s %-14s\n' "$n" "$(stat -c %s "$f")" "$ours" "$theirs" "$ratio" "${lists_per_line[$n]}"
done
lists_growth=$(awk -v a="${lists_per_line[200000]}" -v b="${lists_per_line[50000]}" 'BEGIN {printf "%.2f", a / b}')
check() { # name, value, op, limit
    if awk -v v="$2" -v l="$4" "BEGIN {exit !(v $3 l)}"; then
        echo "ok    $1: $2 (target $3 $4)"
    else
        echo "MISS  $1: $2 (target $3 $4)"
        status=1
    fi
}
check "speed-up over vtysh -C at 200k lines" "$last_ratio" ">=" 25
check "time per line, 200k vs 50k" "$growth" "<=" 1.5
check "time per line on long lists, 200k vs 50k" "$lists_growth" "<=" 1.5
check "peak memory / file size at 200k lines" "$last_rss_ratio" "<" 4
exit $status
