# Shared helpers for boot tests (sourced). Each boot is bounded by a timeout; the status is
# scripts/run-qemu.sh's: 0 the app returned 0, 1 non-zero, 3 panic, 4 crash (triple fault).
O=${O:-build}
BOOT_TIMEOUT=${BOOT_TIMEOUT:-60}

ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; FAILED=1; }
FAILED=0

# The accelerators to test with: TCG always, KVM only with hardware virtualization.
boot_accels() {
	echo 0
	if [ -r /dev/kvm ] && [ -w /dev/kvm ] && grep -qwE 'vmx|svm' /proc/cpuinfo; then
		echo 1
	fi
}

# build_kernel APP [TRACE]: builds into $O/<app>[-trace]/glass.elf, prints its path.
build_kernel() {
	local app=$1 trace=${2:-}
	local dir=$O/$app${trace:+-$trace}
	make -s --no-print-directory O="$O" TARGET="$app" TRACE="$trace" kernel >&2 || return 1
	[ -n "$trace" ] && [ "${FGRAPH:-}" = hijack ] && dir+=-hijack # mk/flags.mk's KDIR
	echo "$dir/glass.elf"
}

# boot KERNEL SMP KVM LOGFILE [APPEND]: boots headless with exit=1; sets BOOT_STATUS.
# QEMU 7.2's TCG has crashed once in CI (a segmentation fault of qemu-system-x86_64 itself,
# status 5, not reproduced in 12 boots of the same kernel): such a boot is made once more,
# and the log keeps the crash.
boot() {
	local kernel=$1 smp=$2 kvm=$3 log=$4 append=${5:-} try
	for try in 1 2; do
		HEADLESS=1 EXIT=1 SMP=$smp KVM=$kvm APPEND="$append" HTTP_PORT=${HTTP_PORT:-0} \
			APP_PORT=${APP_PORT:-0} timeout "$BOOT_TIMEOUT" scripts/run-qemu.sh "$kernel" \
			</dev/null >"$log" 2>&1
		BOOT_STATUS=$?
		[ "$BOOT_STATUS" -eq 5 ] && grep -q 'Segmentation fault.*qemu-system' "$log" || break
		echo "# QEMU crashed booting $kernel ($append); booting again" >&2
		cp "$log" "$log.qemu-crash"
	done
}

# What a status of scripts/run-qemu.sh means.
status_meaning() {
	case $1 in
	0) echo "app returned 0" ;;
	1) echo "app failed" ;;
	2) echo "bad arguments" ;;
	3) echo "kernel panic" ;;
	4) echo "crash: triple fault" ;;
	5) echo "QEMU failed" ;;
	*) echo "unknown" ;;
	esac
}

# expect_status NAME WANT LOG: checks BOOT_STATUS, explaining crashes and timeouts.
expect_status() {
	local name=$1 want=$2 log=$3
	if [ "$BOOT_STATUS" -eq "$want" ]; then
		return 0
	fi
	case $BOOT_STATUS in
	124) not_ok "$name: timed out after ${BOOT_TIMEOUT}s" ;;
	*) not_ok "$name: exit status $BOOT_STATUS ($(status_meaning "$BOOT_STATUS")), want $want" ;;
	esac
	sed 's/^/#   /' "$log" | tail -25
	return 1
}

# A TCP port on 127.0.0.1 nothing listens on now.
free_port() {
	local p
	while :; do
		p=$((20000 + RANDOM % 30000))
		ss -ltnH "sport = :$p" 2>/dev/null | grep -q . || { echo "$p"; return; }
	done
}

# start_tracefill KERNEL LOG PORT [BUF_KB]: boots apps/tracefill in the background (SMP CPUs,
# default 2; BUF_KB per CPU, default 1024) with /ftrace on 127.0.0.1:PORT, sets QEMU_PID and
# waits until it is ready (its buffers full and tracing off). Returns 1 if it never is.
start_tracefill() {
	local kernel=$1 log=$2 port=$3 buf_kb=${4:-1024} i
	HEADLESS=1 SMP=${SMP:-2} HTTP_PORT=$port APP_PORT=0 APPEND="trace_buf_size=$buf_kb" \
		timeout 900 scripts/run-qemu.sh "$kernel" </dev/null >"$log" 2>&1 &
	QEMU_PID=$!
	for ((i = 0; i < 900; i++)); do
		grep -q '^tracefill: ready' "$log" && return 0
		kill -0 "$QEMU_PID" 2>/dev/null || return 1
		sleep 1
	done
	return 1
}

# start_graph_hello KERNEL LOG PORT: boots apps/hello (TRACE=ftrace) in the background with
# /ftrace on 127.0.0.1:PORT, sets QEMU_PID, and once it serves turns function_graph on (its
# ticks then write all the time: a live stream). Returns 1 if that fails.
start_graph_hello() {
	local kernel=$1 log=$2 url=http://127.0.0.1:$3/ftrace i
	HEADLESS=1 SMP=2 HTTP_PORT=$3 APP_PORT=0 timeout 600 scripts/run-qemu.sh "$kernel" \
		</dev/null >"$log" 2>&1 &
	QEMU_PID=$!
	for ((i = 0; i < 240; i++)); do
		[ -n "$(curl -s -m 2 "$url/tracing_on" 2>/dev/null)" ] && break
		sleep 0.5
	done
	curl -s -f -X PUT -d function_graph "$url/current_tracer" >/dev/null &&
		curl -s -f -X PUT -d 1 "$url/tracing_on" >/dev/null
}
