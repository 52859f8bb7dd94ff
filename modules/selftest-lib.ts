// selftest-lib.ts: the selftests' helpers (tools/testing/selftests/livepatch/functions.sh) by
// name, written in the playground shell's language from the prose of ../shared/golden/helpers.md.
// The machine's shell sources this text at boot. Every wait polls in virtual time.

/** The helper library, as shell source. */
export const SELFTEST_LIB = String.raw`
SYSFS_DIR=/sys
SYSFS_KERNEL_DIR=/sys/kernel
SYSFS_KLP_DIR=/sys/kernel/livepatch
SYSFS_MODULE_DIR=/sys/module
SYSFS_DEBUG_DIR=/sys/kernel/debug
SYSFS_KPROBES_DIR=/sys/kernel/debug/kprobes
SYSFS_TRACING_DIR=/sys/kernel/debug/tracing
MAX_RETRIES=600
RETRY_INTERVAL=0.1
KLP_CANARY_SEQ=0
KLP_CANARY=""

function log() {
	echo "$1" > /dev/kmsg
}

function die() {
	log "ERROR: $1"
	echo "ERROR: $1" >&2
	exit 1
}

function skip() {
	log "SKIP: $1"
	echo "SKIP: $1" >&2
	exit 4
}

# loop_until CMD: evaluates CMD until it succeeds, sleeping between tries; fails after the limit.
function loop_until() {
	local cmd="$*"
	local i=0
	while true; do
		eval "$cmd" && return 0
		i=$((i + 1))
		[[ $i -eq $MAX_RETRIES ]] && return 1
		sleep $RETRY_INTERVAL
	done
}

function set_ftrace_enabled() {
	local can_fail=0
	if [[ "$1" == "--fail" ]]; then
		can_fail=1
		shift
	fi
	local err
	err=$(sysctl -q kernel.ftrace_enabled="$1" 2>&1)
	local result
	result=$(sysctl -n kernel.ftrace_enabled)
	if [[ "$result" != "$1" ]]; then
		if [[ $can_fail -eq 1 ]]; then
			# sysctl names the file; the log names the key. (Unquoted: the playground's shell
			# treats a pattern inside "${"$"}{v%%p}" as quoted text.)
			if [[ "$err" == */proc/sys/kernel/* ]]; then
				local head tail
				head=${"$"}{err%%/proc/sys/kernel/*}
				tail=${"$"}{err#*/proc/sys/kernel/}
				err="${"$"}{head}kernel.${"$"}{tail}"
			fi
			log "livepatch: $err"
			return
		fi
		skip "failed to set kernel.ftrace_enabled = $1"
	fi
	log "livepatch: kernel.ftrace_enabled = $result"
}

function setup_config() {
	set_ftrace_enabled 1
}

function is_livepatch_mod() {
	local mod="$1"
	modinfo "test_modules/$mod.ko" > /dev/null 2>&1 ||
		die "Can't find \"test_modules/$mod.ko\", try \"make\""
	[[ $(modinfo -F livepatch "test_modules/$mod.ko") == "Y" ]]
}

function __load_mod() {
	local mod="$1"
	shift
	local msg="% insmod test_modules/$mod.ko $*"
	log "${"$"}{msg% }"
	local ret
	ret=$(insmod "test_modules/$mod.ko" "$@" 2>&1)
	if [[ "$ret" != "" ]]; then
		die "$ret"
	fi
	loop_until "[[ -e $SYSFS_MODULE_DIR/$mod ]]" || die "failed to load module $mod"
}

function load_mod() {
	local mod="$1"
	is_livepatch_mod "$mod" && die "use load_lp() to load the livepatch module $mod"
	__load_mod "$@"
}

function load_lp_nowait() {
	local mod="$1"
	is_livepatch_mod "$mod" || die "module $mod is not a livepatch"
	__load_mod "$@"
	loop_until "[[ -e $SYSFS_KLP_DIR/$mod ]]" || die "failed to load module $mod (sysfs)"
}

function load_lp() {
	local mod="$1"
	load_lp_nowait "$@"
	loop_until "[[ \$(cat $SYSFS_KLP_DIR/$mod/transition) == 0 ]]" ||
		die "failed to complete transition"
}

function load_failing_mod() {
	local mod="$1"
	shift
	local msg="% insmod test_modules/$mod.ko $*"
	log "${"$"}{msg% }"
	local ret
	ret=$(insmod "test_modules/$mod.ko" "$@" 2>&1)
	if [[ "$ret" == "" ]]; then
		die "$mod unexpectedly loaded"
	fi
	log "$ret"
}

function unload_mod() {
	local mod="$1"
	loop_until "[[ \$(cat $SYSFS_MODULE_DIR/$mod/refcnt) == 0 ]]" ||
		die "failed to unload module $mod (refcnt)"
	log "% rmmod $mod"
	local ret
	ret=$(rmmod "$mod" 2>&1)
	if [[ "$ret" != "" ]]; then
		die "$ret"
	fi
	loop_until "[[ ! -e $SYSFS_MODULE_DIR/$mod ]]" || die "failed to unload module $mod (/sys/module)"
}

function unload_lp() {
	unload_mod "$1"
}

function disable_lp_nowait() {
	local mod="$1"
	log "% echo 0 > $SYSFS_KLP_DIR/$mod/enabled"
	echo 0 > "$SYSFS_KLP_DIR/$mod/enabled"
}

function disable_lp() {
	local mod="$1"
	disable_lp_nowait "$mod"
	loop_until "[[ ! -e $SYSFS_KLP_DIR/$mod ]]" || die "failed to disable livepatch $mod"
}

function set_pre_patch_ret() {
	local mod="$1"
	local ret="$2"
	log "% echo $ret > $SYSFS_MODULE_DIR/$mod/parameters/pre_patch_ret"
	echo "$ret" > "$SYSFS_MODULE_DIR/$mod/parameters/pre_patch_ret"
	loop_until "[[ \$(cat $SYSFS_MODULE_DIR/$mod/parameters/pre_patch_ret) == $ret ]]" ||
		die "failed to set pre_patch_ret parameter for $mod module"
}

function read_module_param() {
	local mod="$1"
	local param="$2"
	local path="$SYSFS_MODULE_DIR/$mod/parameters/$param"
	log "% cat $path"
	local val
	val=$(cat "$path")
	if [[ "$val" != "" ]]; then
		log "$mod:$param: $val"
	fi
}

function write_module_param() {
	local mod="$1"
	local param="$2"
	local val="$3"
	local path="$SYSFS_MODULE_DIR/$mod/parameters/$param"
	log "% echo $val > $path"
	echo "$val" > "$path"
}

function check_sysfs_rights() {
	local mod="$1"
	local rel="$2"
	local expected="$3"
	local path="$SYSFS_KLP_DIR/$mod/$rel"
	local rights
	rights=$(stat -c %A "$path")
	if [[ "$rights" != "$expected" ]]; then
		die "Unexpected access rights of $path: $expected vs. $rights"
	fi
}

function check_sysfs_value() {
	local mod="$1"
	local rel="$2"
	local expected="$3"
	local path="$SYSFS_KLP_DIR/$mod/$rel"
	local value
	value=$(cat "$path")
	if [[ "$value" != "$expected" ]]; then
		die "Unexpected value in $path: $expected vs. $value"
	fi
}

function check_object_patched() {
	check_sysfs_value "$1" "$2/patched" "$3"
}

# wait_for_transition PATCH 1|0|absent: the transition file reads the value, or is gone.
function wait_for_transition() {
	local file="$SYSFS_KLP_DIR/$1/transition"
	if [[ "$2" == "absent" ]]; then
		loop_until "[[ ! -e $file ]]" || die "failed waiting for $file to vanish"
	else
		loop_until "[[ \$(cat $file) == $2 ]]" || die "failed waiting for $file to read $2"
	fi
}

function count_livepatches() {
	local n=0
	local f
	for f in "$SYSFS_KLP_DIR"/*; do
		[[ -e "$f" ]] && n=$((n + 1))
	done
	echo "$n"
}

function cleanup_tracing() {
	echo 0 > "$SYSFS_TRACING_DIR/tracing_on"
	echo > "$SYSFS_TRACING_DIR/set_ftrace_filter"
	echo nop > "$SYSFS_TRACING_DIR/current_tracer"
	echo > "$SYSFS_TRACING_DIR/trace"
}

# trace_function FN: the function tracer on FN alone.
function trace_function() {
	local fn="$1"
	cleanup_tracing
	echo function > "$SYSFS_TRACING_DIR/current_tracer"
	echo "$fn" > "$SYSFS_TRACING_DIR/set_ftrace_filter"
	echo 1 > "$SYSFS_TRACING_DIR/tracing_on"
}

# check_traced_functions FN...: each must appear, as a word, in the trace buffer.
function check_traced_functions() {
	local fn
	for fn in "$@"; do
		if ! grep -Fwq "$fn" "$SYSFS_TRACING_DIR/trace"; then
			die "Function ($fn) was not traced"
		fi
	done
	cleanup_tracing
}

function start_test() {
	local test="$1"
	KLP_CANARY_SEQ=$((KLP_CANARY_SEQ + 1))
	KLP_CANARY="livepatch kselftest timestamp: $KLP_CANARY_SEQ"
	log "$KLP_CANARY"
	echo -n "TEST: $test ... "
	log "===== TEST: $test ====="
}

# The log after the canary, filtered as check_result compares it.
function klp_test_log() {
	local seen=0
	local line
	dmesg -t | while IFS= read -r line; do
		if [[ $seen -eq 0 ]]; then
			[[ "$line" == "$KLP_CANARY" ]] && seen=1
			continue
		fi
		[[ "$line" == *livepatch:* || "$line" == *test_klp* ]] || continue
		[[ "$line" == *"tainting kernel"* || "$line" == *"taints kernel"* ]] && continue
		echo "$line"
	done
}

function check_result() {
	local expect="$*"
	local result
	result=$(klp_test_log)
	if [[ "$result" == "" ]]; then
		echo "not ok"
		die "livepatch kselftest(s) failed (buffer overrun? can't find canary dmesg entry)"
	elif [[ "$expect" == "$result" ]]; then
		echo "ok"
	else
		echo "not ok"
		echo "expected:"
		echo "$expect"
		echo "result:"
		echo "$result"
		die "livepatch kselftest(s) failed"
	fi
}
`;
