#!/usr/bin/env bash
# Dump the configuration CLI of the installed FRR (8.4.4) node by node.
#
# For every node in the table below this builds a small config file that enters
# the node and then says `list`, runs `vtysh -C -f` on it (offline: no daemon is
# needed) and writes what vtysh prints as OUTDIR/<node>.list, one command per
# line in FRR's own notation. It also runs `find .` once: in 8.4.4 `find` prints
# every command installed in every node, including the hidden and deprecated ones
# that `list` leaves out; those go to OUTDIR/<node>.hidden.
#
# usage: grammar/dump-frr-8.4.sh [OUTDIR]        (default: grammar/frr-8.4.4)
#        grammar/dump-frr-8.4.sh --check [OUTDIR]
#            compare grammar/<node>.frr with a dump: the lines without
#            @since/@hidden/@deprecated must be exactly <node>.list, the lines
#            with @hidden/@deprecated and no @since exactly <node>.hidden
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
mode=dump
if [[ ${1:-} == --check ]]; then mode=check; shift; fi
out=${1:-$here/frr-8.4.4}

# id | name of the node in `find` output (#2 = its second run) | parent | lines that enter it
NODES=$(cat <<'TABLE'
config|config|-|
bgp|bgp|config|router bgp 1
bgp-ipv4-unicast|bgp ipv4 unicast|bgp|router bgp 1;address-family ipv4 unicast
bgp-ipv4-multicast|bgp ipv4 multicast|bgp|router bgp 1;address-family ipv4 multicast
bgp-ipv4-labeled-unicast|bgp ipv4 labeled unicast|bgp|router bgp 1;address-family ipv4 labeled-unicast
bgp-ipv4-vpn|bgp vpnv4|bgp|router bgp 1;address-family ipv4 vpn
bgp-ipv4-flowspec|bgp ipv4 flowspec|bgp|router bgp 1;address-family ipv4 flowspec
bgp-ipv6-unicast|bgp ipv6|bgp|router bgp 1;address-family ipv6 unicast
bgp-ipv6-multicast|bgp ipv6 multicast|bgp|router bgp 1;address-family ipv6 multicast
bgp-ipv6-labeled-unicast|bgp ipv6 labeled unicast|bgp|router bgp 1;address-family ipv6 labeled-unicast
bgp-ipv6-vpn|bgp vpnv6|bgp|router bgp 1;address-family ipv6 vpn
bgp-ipv6-flowspec|bgp ipv6 flowspec|bgp|router bgp 1;address-family ipv6 flowspec
bgp-l2vpn-evpn|bgp evpn|bgp|router bgp 1;address-family l2vpn evpn
bgp-evpn-vni|bgp evpn vni|bgp-l2vpn-evpn|router bgp 1;address-family l2vpn evpn;vni 10
bgp-srv6|bgp srv6|bgp|router bgp 1;segment-routing srv6
bmp|bmp|bgp|router bgp 1;bmp targets T
bgp-vrf-policy|bgp vrf policy|bgp|router bgp 1;vrf-policy P
bgp-vnc-defaults|bgp vnc defaults|bgp|router bgp 1;vnc defaults
bgp-vnc-nve-group|bgp vnc nve|bgp|router bgp 1;vnc nve-group G
bgp-vnc-l2-group|bgp vnc l2|bgp|router bgp 1;vnc l2-group G
rpki|rpki|config|rpki
route-map|routemap|config|route-map R permit 10
interface|interface|config|interface eth0
link-params|link-params|interface|interface eth0;link-params
vrf|vrf|config|vrf V
rip|rip|config|router rip
ripng|ripng|config|router ripng
ospf|ospf|config|router ospf
ospf6|ospf6|config|router ospf6
isis|isis|config|router isis A
openfabric|openfabric|config|router openfabric A
eigrp|eigrp|config|router eigrp 1
babel|babel|config|router babel
ldp|ldp|config|mpls ldp
ldp-ipv4|ldp ipv4|ldp|mpls ldp;address-family ipv4
ldp-ipv6|ldp ipv6|ldp|mpls ldp;address-family ipv6
ldp-ipv4-interface|ldp ipv4 interface|ldp-ipv4|mpls ldp;address-family ipv4;interface eth0
ldp-ipv6-interface|ldp ipv6 interface|ldp-ipv6|mpls ldp;address-family ipv6;interface eth0
l2vpn|ldp l2vpn|config|l2vpn L type vpls
l2vpn-pseudowire|ldp#2|l2vpn|l2vpn L type vpls;member pseudowire pw0
pseudowire|pw|config|pseudowire pw0
bfd|bfd|config|bfd
bfd-peer|bfd peer|bfd|bfd;peer 10.0.0.1
bfd-profile|bfd profile|bfd|bfd;profile P
key-chain|keychain|config|key chain K
key-chain-key|keychain key|key-chain|key chain K;key 1
segment-routing|segment-routing|config|segment-routing
sr-traffic-eng|sr traffic-eng|segment-routing|segment-routing;traffic-eng
sr-segment-list|srte segment-list|sr-traffic-eng|segment-routing;traffic-eng;segment-list S
sr-policy|srte policy|sr-traffic-eng|segment-routing;traffic-eng;policy color 1 endpoint 10.0.0.1
sr-candidate-dyn|srte candidate-dyn|sr-policy|segment-routing;traffic-eng;policy color 1 endpoint 10.0.0.1;candidate-path preference 1 name C dynamic
pcep|srte pcep|sr-traffic-eng|segment-routing;traffic-eng;pcep
pcep-pce-config|srte pcep pce-config|pcep|segment-routing;traffic-eng;pcep;pce-config C
pcep-pce|srte pcep pce-peer|pcep|segment-routing;traffic-eng;pcep;pce P
pcep-pcc|srte pcep pcc|pcep|segment-routing;traffic-eng;pcep;pcc
srv6|srv6|segment-routing|segment-routing;srv6
srv6-locators|srv6-locators|srv6|segment-routing;srv6;locators
srv6-locator|srv6-locator|srv6-locators|segment-routing;srv6;locators;locator L
pbr-map|pbr-map|config|pbr-map P seq 1
nexthop-group|nexthop-group|config|nexthop-group N
line-vty|vty|config|line vty
TABLE
)

# vtysh-interactive commands: not configuration
interactive='^(list \[permutations\]|find REGEX\.\.\.|output file FILE|no output file \[FILE\]|show cli graph)$'

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# vtysh_run FILE: what vtysh -C prints for FILE, without CRs
vtysh_run() { vtysh -C -f "$1" 2>&1 | tr -d '\r' || true; }

# enter_file ID LAST: a config file that enters node ID (indented like FRR
# prints it) and then says LAST
enter_file() {
    local id=$1 last=$2 path depth=0 f="$tmp/$1.conf"
    path=$(awk -F'|' -v id="$id" '$1 == id { print $4 }' <<<"$NODES")
    : >"$f"
    IFS=';' read -ra lines <<<"$path"
    for l in ${lines[@]+"${lines[@]}"}; do
        printf '%*s%s\n' "$depth" '' "$l" >>"$f"
        depth=$((depth + 1))
    done
    printf '%*s%s\n' "$depth" '' "$last" >>"$f"
    echo "$f"
}

# node_number ID: the number vtysh gives the node (from its error on a bogus line)
node_number() {
    vtysh_run "$(enter_file "$1" zz-not-a-command)" |
        sed -n 's/^line [0-9]*: % Unknown command\[\([0-9]*\)\].*/\1/p'
}

dump() {
    mkdir -p "$out"
    # every installed command of every node, split into runs of one node each
    printf 'find .\n' >"$tmp/find.conf"
    vtysh_run "$tmp/find.conf" | awk -v dir="$tmp" '
        match($0, /^  \([^)]*\)  /) {
            name = substr($0, 4, RLENGTH - 6); cmd = substr($0, RLENGTH + 1)
            if (name != last) { seen[name]++; last = name
                key = seen[name] == 1 ? name : name "#" seen[name]
                gsub(/ /, "_", key) }
            print cmd > (dir "/find." key)
        }'
    local id name parent path f num pnum
    while IFS='|' read -r id name parent path; do
        f=$(enter_file "$id" list)
        vtysh_run "$f" >"$tmp/$id.raw"
        if grep -q '^line [0-9]*: %' "$tmp/$id.raw"; then
            echo "error: entering $id failed:" >&2; cat "$tmp/$id.raw" >&2; exit 2
        fi
        sed -n 's/^    //p' "$tmp/$id.raw" | grep -Ev "$interactive" >"$tmp/$id.list" || true
        cp "$tmp/$id.list" "$tmp/$id.plain"
        grep -Ev "$interactive" "$tmp/find.${name// /_}" >"$tmp/$id.find" || true
        if [[ $parent != - ]]; then
            num=$(node_number "$id"); pnum=$(node_number "$parent")
            if [[ -z $num || $num == "$pnum" ]]; then
                echo "error: $id is not a node of its own (vtysh node $num, parent $pnum)" >&2; exit 2
            fi
            if cmp -s "$tmp/$id.plain" "$tmp/$parent.plain"; then
                # `list` is not installed in this node and walked up to the
                # parent: take the node's commands from `find` (hidden included)
                echo "note: $id: no \`list\` in this node, commands taken from \`find\`" >&2
                cp "$tmp/$id.find" "$tmp/$id.list"
            fi
        fi
        cp "$tmp/$id.list" "$out/$id.list"
        grep -vxFf "$tmp/$id.list" "$tmp/$id.find" >"$out/$id.hidden" || true
        printf '%-26s %4d listed %4d hidden\n' "$id" "$(wc -l <"$out/$id.list")" "$(wc -l <"$out/$id.hidden")"
    done <<<"$NODES"
}

check() {
    local id rc=0
    for id in $(cut -d'|' -f1 <<<"$NODES"); do
        [[ -f $here/$id.frr ]] || { echo "missing: $id.frr" >&2; rc=1; continue; }
        # a command line: not blank, not a comment, not a directive; annotations start at " @"
        awk '!/^[ \t]*(#|%|$)/ && !/@since/ && !/@hidden|@deprecated/ { sub(/[ \t]+@.*/, ""); print }' \
            "$here/$id.frr" | sort >"$tmp/base"
        awk '!/^[ \t]*(#|%|$)/ && !/@since/ && /@hidden|@deprecated/ { sub(/[ \t]+@.*/, ""); print }' \
            "$here/$id.frr" | sort >"$tmp/hid"
        if ! diff <(sort "$out/$id.list") "$tmp/base" >"$tmp/d1"; then
            echo "$id.frr: base differs from $id.list (< dump, > file):" >&2; cat "$tmp/d1" >&2; rc=1
        fi
        # XFRR_start_configuration / XFRR_end_configuration are vtysh-internal and left out (config.frr says why)
        if ! diff <(grep -v '^XFRR_' "$out/$id.hidden" | sort) "$tmp/hid" >"$tmp/d2"; then
            echo "$id.frr: hidden lines differ from $id.hidden (< dump, > file):" >&2; cat "$tmp/d2" >&2; rc=1
        fi
    done
    return $rc
}

"$mode"
