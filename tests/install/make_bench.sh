#!/usr/bin/env bash
# make_bench.sh DIR — a second bench in DIR for the install suite (tests/install), built the cheap way:
# frappe and erpnext from the configured framework sources (bin/lib.sh's fetch_app, the same
# CHARITY_FRAPPE_SOURCE / CHARITY_ERPNEXT_SOURCE as this bench), and a virtualenv of its own that sees
# this bench's installed Python dependencies (one .pth line) instead of installing them again, with
# frappe and erpnext installed into it from DIR/apps. The app is NOT there: the suite brings it with
# `bench get-app`, which pip-installs it into DIR/env like on any bench.
source "$(dirname "${BASH_SOURCE[0]}")/../../bin/lib.sh"
load_config
MAIN_ROOT=$BENCH_ROOT
DIR=${1:?make_bench.sh DIR}
mkdir -p "$DIR"/{apps,sites,logs,config/pids}
DIR=$(cd "$DIR" && pwd)

# fetch_app and localise_frappe_dependencies work on $BENCH_ROOT/apps
BENCH_ROOT=$DIR
FRAMEWORK_MISSING_REASON=""
fetch_app frappe "$CHARITY_FRAPPE_SOURCE" "$CHARITY_FRAPPE_BRANCH" || die "frappe: ${FRAMEWORK_MISSING_REASON:-source unreachable}"
fetch_app erpnext "$CHARITY_ERPNEXT_SOURCE" "$CHARITY_ERPNEXT_BRANCH" || die "erpnext: ${FRAMEWORK_MISSING_REASON:-source unreachable}"
localise_frappe_dependencies

if [[ ! -f "$DIR/env/.frappe-installed" ]]; then
	"$PY" -m venv --clear --without-pip "$DIR/env"
fi
site_packages=$("$DIR/env/bin/python" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
# this bench's dependencies, read-only; its own editable apps are not seen (.pth files of an added
# directory are not processed), so frappe, erpnext and the app come from DIR/apps. Written on every
# run: the cache outlives the bench that made it (CI runs from a fresh clone), and a .pth naming a
# deleted bench left this virtualenv without pip or frappe's dependencies.
"$PY" -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])' >"$site_packages/main_bench_deps.pth"
if [[ ! -f "$DIR/env/.frappe-installed" ]]; then
	"$DIR/env/bin/python" -m pip install -q --no-deps -e "$DIR/apps/frappe" -e "$DIR/apps/erpnext" \
		2> >(quiet_pip >&2)
	touch "$DIR/env/.frappe-installed"
fi
"$DIR/env/bin/python" -c 'import pip, frappe, erpnext' || die "the install suite's bench at $DIR cannot import frappe"

# the assets this bench built for the same frappe/erpnext (the suite builds none; the app gets none)
mkdir -p "$DIR/sites/assets"
for app in frappe erpnext; do
	ln -sfn "$(readlink -f "$MAIN_ROOT/sites/assets/$app")" "$DIR/sites/assets/$app"
done
cp "$MAIN_ROOT/sites/assets/assets.json" "$DIR/sites/assets/"
printf 'frappe\nerpnext\n' >"$DIR/sites/apps.txt"
# this machine's database and redis; no shallow clone: the upgrade test pulls a later release
"$PY" - "$DIR/sites/common_site_config.json" "$(id -un)" <<'PYCODE'
import json, os, sys
path, user = sys.argv[1:]
redis = os.environ["CHARITY_REDIS_URL"].rstrip("/")
conf = {
	"frappe_user": user,
	"db_host": os.environ["CHARITY_DB_HOST"],
	"db_port": int(os.environ["CHARITY_DB_PORT"]),
	"redis_cache": redis,
	"redis_queue": redis,
	"redis_socketio": redis,
	"shallow_clone": False,
	"restart_supervisor_on_update": False,
	"restart_systemd_on_update": False,
}
with open(path, "w") as f:
	json.dump(conf, f, indent=1, sort_keys=True)
PYCODE
