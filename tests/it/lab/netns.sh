#!/usr/bin/env bash
# netns.sh: the privileged half of the interop lab (tests/it/lab/mod.rs drives it).
#
# Every command works on one run directory RUN that the harness owns; nothing is written
# outside it. Namespaces are recorded in RUN/netns.list *before* they are created and daemons
# leave pid files under RUN, so `teardown RUN` can always undo a partial setup.
# Traffic stays inside the namespaces: they have no link to the root namespace.
#
#   netns.sh check                              prerequisites (root, binaries, netns); exit 1 if missing
#   netns.sh switch RUN NS                      a namespace holding the bridge br0 (the L2 segment)
#   netns.sh member RUN SWNS NS PORT ADDR...    a namespace whose eth0 is bridge port PORT, with ADDRs
#   netns.sh bgpd-check NS CONF                 bgpd's own dry run; prints its complaints
#   netns.sh bgpd NS DIR PORT                   execs bgpd (foreground) listening on PORT, files in DIR
#   netns.sh gobgpd NS DIR                      execs gobgpd (foreground) with DIR/gobgpd.json
#   netns.sh listening NS PORT                  exit 0 if a TCP socket listens on PORT in NS
#   netns.sh gobgp NS ARGS...                   the gobgp CLI against the gobgpd in NS
#   netns.sh counters NS                        TcpExt TCPMD5* counters of NS, "name value" lines
#   netns.sh sockets NS                         `ss -tan` of NS (states only, never keys)
#   netns.sh teardown RUN                       kill the daemons by pid file, delete the namespaces
set -u
export LC_ALL=C

BGPD=${FRRLINT_LAB_BGPD:-/usr/lib/frr/bgpd}
GOBGPD=${FRRLINT_LAB_GOBGPD:-gobgpd}
GOBGP=${FRRLINT_LAB_GOBGP:-gobgp}
API_PORT=50051

# Daemons die with the harness thread that started them, even if it is killed without a chance
# to tear down (SIGKILL, Ctrl-C); the namespaces and run directory then stay (see README).
PDEATH=()
if command -v setpriv >/dev/null 2>&1; then PDEATH=(setpriv --pdeathsig KILL); fi

die() { echo "netns.sh: $*" >&2; exit 1; }

# Record a namespace for teardown, then create it. Only namespaces recorded here are ever deleted.
add_ns() {
    local run=$1 ns=$2
    echo "$ns" >>"$run/netns.list" || die "cannot write $run/netns.list"
    ip netns add "$ns" || die "ip netns add $ns failed"
    ip -n "$ns" link set lo up || die "lo up in $ns failed"
}

cmd_check() {
    local missing=()
    [ "$(id -u)" = 0 ] || missing+=("root (the lab creates network namespaces)")
    [ -x "$BGPD" ] || missing+=("$BGPD (Debian package frr)")
    for c in ip ss vtysh "$GOBGPD" "$GOBGP"; do
        command -v "$c" >/dev/null 2>&1 || missing+=("$c")
    done
    [ -r /proc/net/netstat ] || missing+=("/proc/net/netstat")
    if [ ${#missing[@]} -gt 0 ]; then
        printf 'missing: %s\n' "${missing[@]}" >&2
        exit 1
    fi
}

cmd_switch() {
    local run=$1 ns=$2
    add_ns "$run" "$ns"
    ip -n "$ns" link add br0 type bridge stp_state 0 mcast_snooping 0 || die "bridge in $ns failed"
    ip -n "$ns" link set br0 up || die "br0 up in $ns failed"
}

cmd_member() {
    local run=$1 sw=$2 ns=$3 port=$4
    shift 4
    add_ns "$run" "$ns"
    # No duplicate address detection: addresses must be usable at once, and nothing else is on
    # the segment to clash with.
    ip netns exec "$ns" sh -c 'echo 0 >/proc/sys/net/ipv6/conf/all/accept_dad;
                               echo 0 >/proc/sys/net/ipv6/conf/default/accept_dad' ||
        die "disabling DAD in $ns failed"
    # Both ends are created directly inside their namespaces: no name ever exists in the root one.
    ip link add eth0 netns "$ns" type veth peer name "$port" netns "$sw" || die "veth $ns/$port failed"
    ip -n "$sw" link set "$port" master br0 up || die "attaching $port to br0 failed"
    ip -n "$ns" link set eth0 up || die "eth0 up in $ns failed"
    local a
    for a in "$@"; do
        case $a in
            *:*) ip -n "$ns" addr add "$a" dev eth0 nodad || die "address $a in $ns failed" ;;
            *) ip -n "$ns" addr add "$a" dev eth0 || die "address $a in $ns failed" ;;
        esac
    done
}

cmd_bgpd_check() {
    local ns=$1 conf=$2 dir
    dir=$(dirname "$conf")/check
    mkdir -p "$dir" || die "mkdir $dir failed"
    # bgpd -C exits 0 even when it rejects lines, so the caller reads what it prints.
    ip netns exec "$ns" "$BGPD" -C -Z -S -P 0 -p 0 -f "$conf" --vty_socket "$dir" -i "$dir/bgpd.pid" 2>&1
    return 0
}

cmd_bgpd() {
    local ns=$1 dir=$2 port=$3
    mkdir -p "$dir/run" || die "mkdir $dir/run failed"
    # exec keeps the pid: the harness holds bgpd as its child and reaps it.
    exec "${PDEATH[@]}" ip netns exec "$ns" "$BGPD" -Z -S -P 0 -p "$port" -f "$dir/bgpd.conf" \
        --vty_socket "$dir/run" -i "$dir/run/bgpd.pid"
}

cmd_gobgpd() {
    local ns=$1 dir=$2
    echo $$ >"$dir/gobgpd.pid" || die "cannot write $dir/gobgpd.pid"
    exec "${PDEATH[@]}" ip netns exec "$ns" "$GOBGPD" -f "$dir/gobgpd.json" -t json -p -l debug \
        --api-hosts="127.0.0.1:$API_PORT" --pprof-disable
}

cmd_listening() {
    local ns=$1 port=$2
    ip netns exec "$ns" ss -Htln "sport = :$port" 2>/dev/null | grep -q .
}

cmd_gobgp() {
    local ns=$1
    shift
    exec ip netns exec "$ns" "$GOBGP" -u 127.0.0.1 -p "$API_PORT" "$@"
}

cmd_counters() {
    local ns=$1
    ip netns exec "$ns" cat /proc/net/netstat | awk '
        $1 == "TcpExt:" && !seen { for (i = 2; i <= NF; i++) name[i] = $i; seen = 1; next }
        $1 == "TcpExt:" && seen  { for (i = 2; i <= NF; i++) if (name[i] ~ /^TCPMD5/) print name[i], $i }'
}

cmd_sockets() {
    local ns=$1
    # Deliberately no -i/-e: ss 6.1 prints TCP-MD5 keys (md5keys:) unbuffered, at the start of
    # its output, where no filter can find them reliably. Secrets never leave this script.
    ip netns exec "$ns" ss -Htan 2>/dev/null
}

# Kill one daemon by pid file, but only if that pid still is one of our daemons.
kill_pidfile() {
    local f=$1 pid comm i
    pid=$(cat "$f" 2>/dev/null) || return 0
    case $pid in '' | *[!0-9]*) return 0 ;; esac
    comm=$(cat "/proc/$pid/comm" 2>/dev/null) || return 0
    case $comm in bgpd | gobgpd) ;; *) return 0 ;; esac
    kill -TERM "$pid" 2>/dev/null || return 0
    for i in $(seq 1 40); do
        # Gone, or a zombie waiting for the harness to reap it.
        state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) || return 0
        [ "$state" = Z ] && return 0
        sleep 0.05
    done
    kill -KILL "$pid" 2>/dev/null
    return 0
}

cmd_teardown() {
    local run=$1 f ns pid
    [ -d "$run" ] || return 0
    while IFS= read -r f; do
        kill_pidfile "$f"
    done < <(find "$run" -name '*.pid' -not -path '*/check/*' 2>/dev/null)
    [ -f "$run/netns.list" ] || return 0
    # Anything still inside our own namespaces was started by this run: end it too.
    while IFS= read -r ns; do
        [ -n "$ns" ] || continue
        for pid in $(ip netns pids "$ns" 2>/dev/null); do
            kill -KILL "$pid" 2>/dev/null
        done
    done <"$run/netns.list"
    local status=0
    while IFS= read -r ns; do
        [ -n "$ns" ] || continue
        if [ -e "/run/netns/$ns" ]; then
            ip netns del "$ns" || status=1
        fi
    done <"$run/netns.list"
    return $status
}

[ $# -ge 1 ] || die "usage: netns.sh COMMAND ARGS..."
cmd=$1
shift
case $cmd in
    check) cmd_check ;;
    switch) [ $# -eq 2 ] || die "usage: switch RUN NS"; cmd_switch "$@" ;;
    member) [ $# -ge 4 ] || die "usage: member RUN SWNS NS PORT ADDR..."; cmd_member "$@" ;;
    bgpd-check) [ $# -eq 2 ] || die "usage: bgpd-check NS CONF"; cmd_bgpd_check "$@" ;;
    bgpd) [ $# -eq 3 ] || die "usage: bgpd NS DIR PORT"; cmd_bgpd "$@" ;;
    gobgpd) [ $# -eq 2 ] || die "usage: gobgpd NS DIR"; cmd_gobgpd "$@" ;;
    listening) [ $# -eq 2 ] || die "usage: listening NS PORT"; cmd_listening "$@" ;;
    gobgp) [ $# -ge 2 ] || die "usage: gobgp NS ARGS..."; cmd_gobgp "$@" ;;
    counters) [ $# -eq 1 ] || die "usage: counters NS"; cmd_counters "$@" ;;
    sockets) [ $# -eq 1 ] || die "usage: sockets NS"; cmd_sockets "$@" ;;
    teardown) [ $# -eq 1 ] || die "usage: teardown RUN"; cmd_teardown "$@" ;;
    *) die "unknown command $cmd" ;;
esac
