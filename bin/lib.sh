# shellcheck shell=bash
# Shared steps of bin/up and bin/test. Every step is idempotent: it checks what
# exists and only does what is missing, so both commands can be run again.

set -euo pipefail

BENCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export BENCH_ROOT
ENV_DIR="$BENCH_ROOT/env"
PY="$ENV_DIR/bin/python"
# The bench CLI gets a virtualenv of its own: its pins (GitPython, requests) clash with frappe's.
BENCH_CLI_DIR="$ENV_DIR/bench-cli"
BENCH="$BENCH_CLI_DIR/bin/bench"

log() { printf '\033[1;34m==>\033[0m %s\n' "$*" >&2; }
warn() { printf '\033[1;33m!!\033[0m %s\n' "$*" >&2; }
die() {
	printf '\033[1;31mxx\033[0m %s\n' "$*" >&2
	exit 1
}

# --- configuration --------------------------------------------------------------
# Machine-level files first (so a CI run in a fresh clone sees the same overrides),
# then the environment, which always wins.
CONFIG_VARS=(
	CHARITY_FRAPPE_SOURCE CHARITY_FRAPPE_BRANCH CHARITY_ERPNEXT_SOURCE CHARITY_ERPNEXT_BRANCH
	CHARITY_GUNICORN_SOURCE CHARITY_PYPIKA_SOURCE CHARITY_AIR_DATEPICKER_SOURCE
	CHARITY_DB_HOST CHARITY_DB_PORT CHARITY_DB_ROOT_USER CHARITY_DB_ROOT_PASSWORD
	CHARITY_DB_ADMIN_USER CHARITY_DB_ADMIN_PASSWORD CHARITY_REDIS_URL CHARITY_ADMIN_PASSWORD
	CHARITY_ALT_FRAPPE_SOURCE CHARITY_ALT_FRAPPE_BRANCH CHARITY_ALT_ERPNEXT_SOURCE CHARITY_ALT_ERPNEXT_BRANCH
	CHARITY_FRAPPE_VERSION CHARITY_ERPNEXT_VERSION CHARITY_ALT_FRAPPE_VERSION CHARITY_ALT_ERPNEXT_VERSION
	CHARITY_PRODUCTION_BIND CHARITY_PRODUCTION_PORT
)

load_config() {
	local saved=() var file
	for var in "${CONFIG_VARS[@]}"; do
		if [[ -n "${!var+x}" ]]; then saved+=("$var=${!var}"); fi
	done
	for file in /etc/charity_beneficiary/bench.env "${XDG_CONFIG_HOME:-$HOME/.config}/charity_beneficiary/bench.env" \
		${CHARITY_BENCH_CONFIG:+"$CHARITY_BENCH_CONFIG"}; do
		if [[ -f "$file" ]]; then
			# shellcheck disable=SC1090
			set -a && source "$file" && set +a
		fi
	done
	for var in "${saved[@]}"; do export "${var?}"; done

	: "${CHARITY_FRAPPE_SOURCE:=https://github.com/frappe/frappe}"
	: "${CHARITY_FRAPPE_BRANCH:=version-15}"
	: "${CHARITY_ERPNEXT_SOURCE:=https://github.com/frappe/erpnext}"
	: "${CHARITY_ERPNEXT_BRANCH:=version-15}"
	: "${CHARITY_DB_HOST:=127.0.0.1}"
	: "${CHARITY_DB_PORT:=3306}"
	: "${CHARITY_DB_ROOT_USER:=root}"
	: "${CHARITY_DB_ROOT_PASSWORD:=}"
	: "${CHARITY_DB_ADMIN_USER:=charity_admin}"
	: "${CHARITY_DB_ADMIN_PASSWORD:=charity_admin}"
	: "${CHARITY_REDIS_URL:=redis://127.0.0.1:6379}"
	: "${CHARITY_ADMIN_PASSWORD:=admin}"
	: "${CHARITY_PRODUCTION_BIND:=127.0.0.1}"
	: "${CHARITY_PRODUCTION_PORT:=8080}"
	export "${CONFIG_VARS[@]}"
}

# --- python environment ----------------------------------------------------------
# pip complains about every index of the machine's pip.conf it cannot read: keep real errors.
quiet_pip() { grep -v -e "^WARNING: Location 'file:" -e "BuildBackendWarning" || true; }
pip_install() { "$PY" -m pip install -q "$@" 2> >(quiet_pip >&2); }

ensure_env() {
	if [[ ! -x "$PY" ]]; then
		log "Creating the Python environment in env/"
		command -v python3 >/dev/null || die "python3 (3.10-3.12) is required"
		python3 -m venv "$ENV_DIR"
	fi
	if [[ ! -f "$ENV_DIR/.base-installed" ]]; then
		# setuptools 81+ has no pkg_resources, which frappe's google client still imports.
		pip_install --upgrade pip wheel "setuptools<81"
		pip_install pytest
		python3 -m venv "$BENCH_CLI_DIR"
		"$BENCH_CLI_DIR/bin/python" -m pip install -q frappe-bench 2> >(quiet_pip >&2)
		touch "$ENV_DIR/.base-installed"
	fi
}

# Install the app's own dependencies (enough for the framework-free suites).
ensure_app_installed() {
	local stamp="$ENV_DIR/.app-installed" sum
	sum=$(sha1sum "$BENCH_ROOT/apps/charity_beneficiary/pyproject.toml" | cut -d' ' -f1)
	if [[ "$(cat "$stamp" 2>/dev/null)" != "$sum" ]]; then
		log "Installing charity_beneficiary into env/"
		pip_install -e "$BENCH_ROOT/apps/charity_beneficiary"
		# the test tools the app lists as bench dev-dependencies (bench installs them in developer mode)
		local dev
		dev=$("$PY" - "$BENCH_ROOT/apps/charity_beneficiary/pyproject.toml" <<'PYCODE'
import re, sys  # no tomllib on Python 3.10: the section is a flat list of name = "spec"
text = open(sys.argv[1]).read()
section = re.search(r"^\[tool\.bench\.dev-dependencies\]\n(.*?)(?=^\[|\Z)", text, re.M | re.S)
deps = re.findall(r'^([A-Za-z0-9_.-]+)\s*=\s*"([^"]*)"', section.group(1), re.M) if section else []
print(" ".join(f"{name}{spec}" for name, spec in deps))
PYCODE
)
		# shellcheck disable=SC2086
		[[ -z "$dev" ]] || pip_install $dev
		echo "$sum" >"$stamp"
	fi
}

# --- framework sources -----------------------------------------------------------
# Copy or clone one app from a configured source into apps/<name>.
# The source is a git URL, a local git repository, or a plain directory.
fetch_app() {
	local name=$1 source=$2 branch=$3 dest="$BENCH_ROOT/apps/$1"
	if [[ -d "$dest/$name" ]]; then
		check_version "$name" "$dest"
		return
	fi
	rm -rf "$dest"
	if [[ -d "$source" && ! -e "$source/.git" && ! -f "$source/HEAD" ]]; then
		log "Copying $name from a local directory"
		mkdir -p "$dest"
		tar -C "$source" --exclude=./node_modules --exclude=./.git -cf - . | tar -C "$dest" -xf -
		# bench expects every app to be a git repository.
		git -C "$dest" init -q -b "$branch"
		git -C "$dest" add -A
		git -C "$dest" -c user.name=setup -c user.email=setup@localhost commit -q -m "$name from local source"
	else
		# the configured branch or tag, or nothing: never silently another branch
		log "Cloning $name ($branch)"
		git clone -q --depth 1 --branch "$branch" "$source" "$dest" || return 1
	fi
	check_version "$name" "$dest"
}

# When CHARITY_<APP>_VERSION pins a version, the fetched app must be exactly that version.
check_version() {
	local name=$1 dest=$2 var wanted found
	var="CHARITY_${name^^}_VERSION"
	wanted=${!var:-}
	[[ -n "$wanted" ]] || return 0
	found=$(grep -m1 -oE '__version__ = "[^"]+"' "$dest/$name/__init__.py" | cut -d'"' -f2)
	if [[ "$found" != "$wanted" ]]; then
		FRAMEWORK_MISSING_REASON="$name is $found, the configuration pins $wanted ($var)"
		warn "$FRAMEWORK_MISSING_REASON"
		return 1
	fi
}

# Point frappe's GitHub-only dependencies at configured local sources.
localise_frappe_dependencies() {
	local pyproject="$BENCH_ROOT/apps/frappe/pyproject.toml" package="$BENCH_ROOT/apps/frappe/package.json"
	local dep src
	for dep in gunicorn pypika; do
		case $dep in
		gunicorn) src=${CHARITY_GUNICORN_SOURCE:-} ;;
		pypika) src=${CHARITY_PYPIKA_SOURCE:-} ;;
		esac
		[[ -n "$src" ]] || continue
		if [[ -f "$src/pyproject.toml" || -f "$src/setup.py" ]]; then
			src="file://$src"
		else
			src="git+$src"
		fi
		"$PY" - "$pyproject" "$dep" "$src" <<'PYCODE'
import re, sys
path, dep, src = sys.argv[1:]
text = open(path).read()
pattern = re.compile(r'"(%s) @ git\+[^"@]+(@[0-9a-f]+)?"' % dep, re.I)
def repl(m):
	pin = m.group(2) or ""
	return f'"{m.group(1)} @ {src}{pin if src.startswith("git+") else ""}"'
new = pattern.sub(repl, text)
if new != text:
	open(path, "w").write(new)
PYCODE
	done
	if [[ -n "${CHARITY_AIR_DATEPICKER_SOURCE:-}" ]]; then
		src=$CHARITY_AIR_DATEPICKER_SOURCE
		[[ -d "$src" ]] && src="file:$src"
		sed -i "s|\"air-datepicker\": \"github:frappe/air-datepicker\"|\"air-datepicker\": \"$src\"|" "$package"
	fi
}

# Returns 1 (with the reason in FRAMEWORK_MISSING_REASON) when a source cannot be had.
ensure_framework() {
	FRAMEWORK_MISSING_REASON=""
	if ! fetch_app frappe "$CHARITY_FRAPPE_SOURCE" "$CHARITY_FRAPPE_BRANCH"; then
		FRAMEWORK_MISSING_REASON=${FRAMEWORK_MISSING_REASON:-"frappe source unreachable: $CHARITY_FRAPPE_SOURCE"}
		return 1
	fi
	if ! fetch_app erpnext "$CHARITY_ERPNEXT_SOURCE" "$CHARITY_ERPNEXT_BRANCH"; then
		FRAMEWORK_MISSING_REASON=${FRAMEWORK_MISSING_REASON:-"erpnext source unreachable: $CHARITY_ERPNEXT_SOURCE"}
		return 1
	fi
	localise_frappe_dependencies
	local stamp="$ENV_DIR/.framework-installed" sum
	sum=$(cat "$BENCH_ROOT"/apps/{frappe,erpnext,charity_beneficiary}/pyproject.toml | sha1sum | cut -d' ' -f1)
	if [[ "$(cat "$stamp" 2>/dev/null)" != "$sum" ]]; then
		log "Installing frappe, erpnext and charity_beneficiary into env/ (pip)"
		if ! pip_install -e "$BENCH_ROOT/apps/frappe" -e "$BENCH_ROOT/apps/erpnext" \
			-e "$BENCH_ROOT/apps/charity_beneficiary"; then
			FRAMEWORK_MISSING_REASON="pip could not install frappe/erpnext (a GitHub-only dependency unreachable? see README)"
			return 1
		fi
		echo "$sum" >"$stamp"
	fi
	ensure_bench_config
}

ensure_bench_config() {
	mkdir -p "$BENCH_ROOT/logs" "$BENCH_ROOT/sites/assets" "$BENCH_ROOT/config/pids"
	local user
	user=$(id -un)
	# sites/common_site_config.json is committed with the defaults of this machine's kind (loopback
	# MariaDB and Redis, root as frappe_user: bench refuses root unless frappe_user names it). Setup
	# writes it only where this machine differs (another user, database or Redis in bench.env), so a
	# standard machine never sees the tracked file change; settings an administrator added are kept.
	"$PY" - "$BENCH_ROOT/sites/common_site_config.json" "$user" <<'PYCODE'
import json, os, sys
path, user = sys.argv[1:]
current = json.load(open(path)) if os.path.exists(path) else {}
redis = os.environ["CHARITY_REDIS_URL"].rstrip("/")
machine = {
	"frappe_user": user,
	"db_host": os.environ["CHARITY_DB_HOST"],
	"db_port": int(os.environ["CHARITY_DB_PORT"]),
	"redis_cache": redis,
	"redis_queue": redis,
	"redis_socketio": redis,
}
conf = {**current, **machine}
if conf != current:
	with open(path, "w") as f:
		json.dump(conf, f, indent=1, sort_keys=True)  # as frappe writes it
PYCODE
}

# --- JS dependencies and assets (only for the running site) ---------------------
ensure_yarn() {
	if ! command -v yarn >/dev/null || [[ "$(yarn --version)" != 1.* ]]; then
		log "Installing yarn 1.x"
		npm install -g --silent yarn@1 >/dev/null
	fi
}

ensure_assets() {
	ensure_yarn
	local app
	for app in frappe erpnext; do
		if [[ ! -d "$BENCH_ROOT/apps/$app/node_modules" ]]; then
			log "yarn install in apps/$app"
			(cd "$BENCH_ROOT/apps/$app" && yarn install --silent --non-interactive --prefer-offline)
		fi
	done
	# build when never built, or rebuild the app's assets when its public/ folder changed
	local stamp="$BENCH_ROOT/sites/assets/.charity-public-hash" sum
	sum=$(cd "$BENCH_ROOT/apps/charity_beneficiary/charity_beneficiary" && find public -type f -print0 | sort -z | xargs -0 sha1sum | sha1sum | cut -d' ' -f1)
	if [[ ! -f "$BENCH_ROOT/sites/assets/assets.json" || ! -e "$BENCH_ROOT/sites/assets/charity_beneficiary" ]]; then
		log "Building assets"
		(cd "$BENCH_ROOT" && "$BENCH" build)
	elif [[ "$(cat "$stamp" 2>/dev/null)" != "$sum" ]]; then
		log "Building the app's assets"
		(cd "$BENCH_ROOT" && "$BENCH" build --app charity_beneficiary)
	fi
	echo "$sum" >"$stamp"
}

# --- database ---------------------------------------------------------------------
mysql_root() {
	local args=(-h "$CHARITY_DB_HOST" -P "$CHARITY_DB_PORT" -u "$CHARITY_DB_ROOT_USER")
	[[ -n "$CHARITY_DB_ROOT_PASSWORD" ]] && args+=("-p$CHARITY_DB_ROOT_PASSWORD")
	mariadb "${args[@]}" "$@"
}

# frappe asks for the root password when it is empty; give it a dedicated admin user
# with a password instead, and the server settings new-site insists on.
ensure_db_admin() {
	mysql_root -e "SELECT 1" >/dev/null 2>&1 ||
		die "MariaDB is not reachable at $CHARITY_DB_HOST:$CHARITY_DB_PORT as $CHARITY_DB_ROOT_USER (see README)"
	local u=$CHARITY_DB_ADMIN_USER p=$CHARITY_DB_ADMIN_PASSWORD host hosts
	local sql="SET GLOBAL character_set_server='utf8mb4'; SET GLOBAL collation_server='utf8mb4_unicode_ci';"
	# The admin creates sites (databases, their users and grants), so it keeps ALL WITH GRANT OPTION;
	# it is reachable only from where the bench connects: loopback for a local server (an '%' account
	# an earlier setup made is dropped), any host only when the database is on another machine.
	case "$CHARITY_DB_HOST" in
	127.0.0.1 | localhost | ::1) hosts=(localhost 127.0.0.1) sql+="DROP USER IF EXISTS '$u'@'%';" ;;
	*) hosts=('%') ;;
	esac
	for host in "${hosts[@]}"; do
		sql+="CREATE USER IF NOT EXISTS '$u'@'$host' IDENTIFIED BY '$p'; ALTER USER '$u'@'$host' IDENTIFIED BY '$p';"
		sql+="GRANT ALL PRIVILEGES ON *.* TO '$u'@'$host' WITH GRANT OPTION;"
	done
	mysql_root -e "$sql"
}

# Run a long, chatty command with its output in logs/setup.log; show the tail on failure.
run_logged() {
	local logfile="$BENCH_ROOT/logs/setup.log"
	# the command line goes to the log, never a password given on it (production's Administrator)
	echo "+ $*" | sed -E 's/(--(admin|db-root)-password) [^ ]+/\1 ***/g' >>"$logfile"
	if ! "$@" >>"$logfile" 2>&1; then
		tail -n 40 "$logfile" >&2
		die "failed: $* (full output in logs/setup.log)"
	fi
}

# site_state SITE DB_NAME: "complete" (its folder and config name the database, which exists and
# has the app installed), "none" (neither folder nor database) or "partial" (anything else: a
# creation that stopped half-way, a restored folder without its database, a database without
# its folder…). The database itself is asked, not a marker file.
site_state() {
	local site=$1 db_name=$2 has_db has_app=0 configured=""
	has_db=$(mysql_root -N -e "SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME='$db_name'")
	if [[ "$has_db" == 1 ]]; then
		has_app=$(mysql_root -N -e "SELECT COUNT(*) FROM \`$db_name\`.\`tabInstalled Application\` WHERE app_name='charity_beneficiary'" 2>/dev/null || echo 0)
	fi
	if [[ -f "sites/$site/site_config.json" ]]; then
		configured=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1])).get("db_name", ""))' "sites/$site/site_config.json")
	fi
	if [[ "$configured" == "$db_name" && "$has_app" -ge 1 ]]; then
		echo complete
	elif [[ ! -e "sites/$site" && "$has_db" == 0 ]]; then
		echo none
	else
		echo partial
	fi
}

# ensure_site SITE DB_NAME LANGUAGE [extra args for charity-setup]
# Creates the site when there is none, migrates it when the app changed. A partial site (see
# site_state) is dropped and made again only when CHARITY_RECREATE_SITE=1 (bin/test sets it for its
# disposable test site; `bin/up --recreate` for the demo): setup never drops a database by accident.
ensure_site() {
	local site=$1 db_name=$2 language=$3 state
	shift 3
	cd "$BENCH_ROOT"
	ensure_db_admin
	state=$(site_state "$site" "$db_name")
	if [[ "$state" == partial && "${CHARITY_RECREATE_SITE:-}" != 1 ]]; then
		die "The site $site is incomplete or its database $db_name exists without it: nothing was changed.
   Restore the site folder (sites/$site) or its database, or drop and recreate it with CHARITY_RECREATE_SITE=1."
	fi
	if [[ "$state" != complete ]]; then
		log "Creating site $site with erpnext and charity_beneficiary (a few minutes; logs/setup.log)"
		rm -rf "sites/$site"
		run_logged "$BENCH" new-site "$site" --force --db-name "$db_name" \
			--db-host "$CHARITY_DB_HOST" --db-port "$CHARITY_DB_PORT" \
			--db-root-username "$CHARITY_DB_ADMIN_USER" --db-root-password "$CHARITY_DB_ADMIN_PASSWORD" \
			--admin-password "$CHARITY_ADMIN_PASSWORD" \
			--install-app erpnext --install-app charity_beneficiary
		# only a site created for the demo may receive demo data (charity-setup --demo checks it)
		if [[ " $* " == *" --demo "* ]]; then
			run_logged "$BENCH" --site "$site" set-config --parse charity_demo_site 1
		fi
		app_hash >"sites/$site/.app-hash"
	elif [[ "$(cat "sites/$site/.app-hash" 2>/dev/null)" != "$(app_hash)" ]]; then
		log "Migrating $site (the app changed)"
		run_logged "$BENCH" --site "$site" migrate
		SITE_MIGRATED=1
		app_hash >"sites/$site/.app-hash"
	fi
	# translations are read from compiled .mo files; compile the app's when its .po changed
	run_logged "$BENCH" compile-po-to-mo --app charity_beneficiary
	log "Completing the setup of $site ($language)"
	run_logged "$BENCH" --site "$site" charity-setup --language "$language" "$@"
}

# A hash of the app's tracked and untracked files: migrate only when it changes.
app_hash() {
	(cd "$BENCH_ROOT" && find -H apps/charity_beneficiary fixtures -type f \( -name '*.json' -o -name '*.py' -o -name '*.po' \) \
		-not -path '*/__pycache__/*' -print0 | sort -z | xargs -0 sha1sum | sha1sum | cut -d' ' -f1)
}

# The test site caches in a Redis database of its own, chosen from the bench's path, so that
# nothing another bench left in the machine's Redis (frappe's shared `assets_json` map, say)
# leaks into its tests. The key frappe shares between sites is cleared after every build.
ensure_site_redis() {
	local site=$1 base db url
	base=$(printf '%s' "${CHARITY_REDIS_URL%/}" | sed -E 's#(//[^/]+)/[0-9]+$#\1#')
	db=$((($(printf '%s' "$BENCH_ROOT" | cksum | cut -d' ' -f1) % 15) + 1))
	url="$base/$db"
	if [[ "$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1])).get("redis_cache", ""))' "$BENCH_ROOT/sites/$site/site_config.json")" != "$url" ]]; then
		run_logged "$BENCH" --site "$site" set-config redis_cache "$url"
	fi
	"$PY" -c 'import redis,sys; redis.from_url(sys.argv[1]).delete("assets_json")' "$url"
	# the site's own keys too: a site made again under the same database name (the test site is
	# disposable) would otherwise read the settings its predecessor cached there, and frappe's
	# new-site cleared the cache it was given then (the common one), not this one
	run_logged "$BENCH" --site "$site" clear-cache
}

# "frappe X / erpnext Y" of this bench (ALT=1: of the alternate bench)
framework_versions() {
	local root=$BENCH_ROOT
	[[ -n "${ALT:-}" ]] && root="$BENCH_ROOT/.alt-bench"
	local f e
	f=$(grep -m1 -oE '[0-9]+\.[0-9]+\.[0-9]+' "$root/apps/frappe/frappe/__init__.py" 2>/dev/null || echo '?')
	e=$(grep -m1 -oE '[0-9]+\.[0-9]+\.[0-9]+' "$root/apps/erpnext/erpnext/__init__.py" 2>/dev/null || echo '?')
	echo "$f / erpnext $e"
}

# A second bench in .alt-bench/ with the configured alternate frappe/erpnext pair; it shares this
# bench's app, tests, fixtures and scripts (symlinks) and has its own env, apps, sites and database.
# Runs its integration suite with `bin/test --only integration`; the JUnit file lands in
# tests/.results/alt/.
run_alt_bench() {
	local alt="$BENCH_ROOT/.alt-bench"
	mkdir -p "$alt/apps" "$alt/sites" "$alt/logs"
	ln -sfn ../bin "$alt/bin"
	ln -sfn ../tests "$alt/tests"
	ln -sfn ../fixtures "$alt/fixtures"
	ln -sfn ../../apps/charity_beneficiary "$alt/apps/charity_beneficiary"
	cp "$BENCH_ROOT/sites/apps.txt" "$alt/sites/apps.txt"
	[[ -f "$alt/sites/common_site_config.json" ]] || cp "$BENCH_ROOT/sites/common_site_config.json" "$alt/sites/"
	env CHARITY_FRAPPE_SOURCE="$CHARITY_ALT_FRAPPE_SOURCE" \
		CHARITY_FRAPPE_BRANCH="${CHARITY_ALT_FRAPPE_BRANCH:-$CHARITY_FRAPPE_BRANCH}" \
		CHARITY_ERPNEXT_SOURCE="${CHARITY_ALT_ERPNEXT_SOURCE:?CHARITY_ALT_ERPNEXT_SOURCE is not set}" \
		CHARITY_ERPNEXT_BRANCH="${CHARITY_ALT_ERPNEXT_BRANCH:-$CHARITY_ERPNEXT_BRANCH}" \
		CHARITY_FRAPPE_VERSION="${CHARITY_ALT_FRAPPE_VERSION:-}" \
		CHARITY_ERPNEXT_VERSION="${CHARITY_ALT_ERPNEXT_VERSION:-}" \
		CHARITY_ALT_FRAPPE_SOURCE="" \
		CHARITY_TEST_DB="${CHARITY_TEST_DB:-charity_test}_alt" \
		CHARITY_RESULTS_DIR="$BENCH_ROOT/tests/.results/alt" \
		"$alt/bin/test" --only integration
}

# --- production (bin/up --production SITE, bin/down --production) -------------------
# One production site per bench, run by a supervisord of its own: gunicorn behind Debian's nginx,
# RQ workers for the short, default and long queues, the scheduler, socket.io, and two Redis
# instances (an LRU cache, a never-evicting queue). The templates are config/production/*.in,
# filled at run time into config/production/run/ (git-ignored), logs in logs/production/.
PROD_TEMPLATES="$BENCH_ROOT/config/production"
PROD_RUN="$BENCH_ROOT/config/production/run"
PROD_LOGS="$BENCH_ROOT/logs/production"
PROD_GUNICORN_PORT=8010
PROD_REDIS_CACHE_PORT=13010
PROD_REDIS_QUEUE_PORT=11010

prod_ctl() { supervisorctl -c "$PROD_RUN/supervisord.conf" "$@"; }
production_running() { [[ -S "$PROD_RUN/supervisor.sock" ]] && prod_ctl pid >/dev/null 2>&1; }
production_url() { echo "http://$CHARITY_PRODUCTION_BIND:$CHARITY_PRODUCTION_PORT"; }

# The site production serves, as written in the generated nginx configuration ("" when none).
production_site() {
	sed -nE 's/^[[:space:]]*server_name ([^;]+);/\1/p' "$PROD_RUN/nginx.conf" 2>/dev/null | head -n1
}

# render_template SRC DEST NAME=VALUE...: every {{NAME}} of SRC replaced; an unfilled one is an error.
render_template() {
	"$PY" - "$@" <<'PYCODE'
import re, sys
src, dest, *pairs = sys.argv[1:]
values = dict(pair.split("=", 1) for pair in pairs)
text = re.sub(r"\{\{(\w+)\}\}", lambda m: values.get(m.group(1), m.group(0)), open(src).read())
if missing := sorted(set(re.findall(r"\{\{(\w+)\}\}", text))):
	sys.exit(f"{src}: no value for {', '.join(missing)}")
with open(dest, "w") as f:
	f.write(text)
PYCODE
}

ensure_production_packages() {
	command -v nginx >/dev/null && command -v supervisord >/dev/null && command -v redis-server >/dev/null &&
		return 0
	[[ $(id -u) == 0 ]] || die "production needs Debian's nginx, supervisor and redis-server: sudo apt-get install nginx-light supervisor redis-server"
	log "Installing Debian's nginx-light, supervisor and redis-server"
	{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light supervisor redis-server; } \
		>>"$BENCH_ROOT/logs/setup.log" 2>&1 || die "apt-get could not install them (see logs/setup.log)"
	# Debian starts the packages' own services where it can: production runs its own instances
}

# Fill the templates for SITE; gunicorn gets 2 workers per core plus one (gunicorn's advice).
write_production_config() {
	local site=$1 cores
	cores=$(nproc)
	mkdir -p "$PROD_RUN" "$PROD_LOGS"
	chmod 700 "$PROD_RUN"
	local values=(
		"SITE=$site" "BENCH_ROOT=$BENCH_ROOT" "SITES_DIR=$BENCH_ROOT/sites" "ENV_DIR=$ENV_DIR"
		"RUN_DIR=$PROD_RUN" "LOG_DIR=$PROD_LOGS" "USER=$(id -un)" "NODE=$(command -v node)"
		"HTTP_BIND=$CHARITY_PRODUCTION_BIND" "HTTP_PORT=$CHARITY_PRODUCTION_PORT"
		"GUNICORN_PORT=$PROD_GUNICORN_PORT" "GUNICORN_WORKERS=$((cores * 2 + 1))"
		"REDIS_CACHE_PORT=$PROD_REDIS_CACHE_PORT" "REDIS_QUEUE_PORT=$PROD_REDIS_QUEUE_PORT"
		"REDIS_CACHE_MAXMEMORY=256mb"
	)
	local name before
	# none yet on a first run (cat fails, which pipefail would make fatal)
	before=$({ cat "$PROD_RUN"/*.conf 2>/dev/null || true; } | sha1sum)
	for name in supervisord.conf nginx.conf redis-cache.conf redis-queue.conf; do
		render_template "$PROD_TEMPLATES/$name.in" "$PROD_RUN/$name" "${values[@]}"
	done
	PRODUCTION_CONFIG_CHANGED=""
	[[ "$(cat "$PROD_RUN"/*.conf | sha1sum)" == "$before" ]] || PRODUCTION_CONFIG_CHANGED=1
	nginx -t -q -c "$PROD_RUN/nginx.conf" || die "nginx refuses $PROD_RUN/nginx.conf"
}

# supervisord with the two Redis instances (the site's processes wait for start_production_site).
start_production_supervisor() {
	# a running process keeps the configuration it started with: a changed one restarts them all
	if production_running && [[ -n "${PRODUCTION_CONFIG_CHANGED:-}" ]]; then
		log "The production configuration changed: restarting its processes"
		production_down
	fi
	if ! production_running; then
		log "Starting supervisord (production processes; logs in logs/production/)"
		supervisord -c "$PROD_RUN/supervisord.conf"
	fi
	local port
	for port in "$PROD_REDIS_CACHE_PORT" "$PROD_REDIS_QUEUE_PORT"; do
		for _ in $(seq 1 30); do
			redis-cli -p "$port" ping >/dev/null 2>&1 && break
			sleep 1
		done
		redis-cli -p "$port" ping >/dev/null 2>&1 || die "the production Redis on port $port does not answer"
	done
}

# refuse a site that was made for the demo or for the tests: their passwords are published
refuse_non_production_site() {
	local site=$1 conf="sites/$1/site_config.json"
	[[ -f "$conf" ]] || return 0
	"$PY" - "$conf" <<'PYCODE' || die "$site was created as a demo or test site (published passwords): it is never served in production"
import json, sys
conf = json.load(open(sys.argv[1]))
sys.exit(1 if conf.get("charity_demo_site") or conf.get("allow_tests") else 0)
PYCODE
}

# The settings that make SITE a production site; every one is idempotent.
configure_production_site() {
	local site=$1
	# its own cache and queue (frappe reads them from site_config.json before common_site_config.json)
	run_logged "$BENCH" --site "$site" set-config redis_cache "redis://127.0.0.1:$PROD_REDIS_CACHE_PORT"
	run_logged "$BENCH" --site "$site" set-config redis_queue "redis://127.0.0.1:$PROD_REDIS_QUEUE_PORT"
	run_logged "$BENCH" --site "$site" set-config --parse developer_mode 0
	# no traceback in any error page or API error, whoever asks (System Settings → allow_error_traceback)
	run_logged "$BENCH" --site "$site" execute frappe.db.set_single_value \
		--args '["System Settings", "allow_error_traceback", 0]'
	run_logged "$BENCH" --site "$site" enable-scheduler
	run_logged "$BENCH" --site "$site" clear-cache
}

start_production_site() {
	local url
	url=$(production_url)
	# after a migrate the running processes still hold the old code
	if [[ -n "${SITE_MIGRATED:-}" ]]; then prod_ctl restart site:* >/dev/null || true; fi
	prod_ctl start site:* >/dev/null || true
	for _ in $(seq 1 90); do
		curl -fsS -o /dev/null "$url/api/method/ping" 2>/dev/null && break
		sleep 1
	done
	prod_ctl status >&2 || true
	curl -fsS -o /dev/null "$url/api/method/ping" || die "the production site does not answer on $url (see logs/production/)"
}

# bin/up --production SITE [--recreate]
production_up() {
	local site=$1 recreate=$2 db_name state password=""
	[[ "$site" =~ ^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$ ]] || die "not a site name: '$site' (e.g. charity.example.org)"
	db_name="charity_$(printf '%s' "$site" | tr -c 'a-z0-9\n' '_' | cut -c1-40)"
	# only --recreate on the command line may drop a production site's database, never the environment
	export CHARITY_RECREATE_SITE=$recreate
	ensure_env
	ensure_app_installed
	ensure_framework || die "$FRAMEWORK_MISSING_REASON"
	ensure_assets
	ensure_production_packages
	refuse_non_production_site "$site"
	if [[ "$CHARITY_DB_ADMIN_PASSWORD" == charity_admin ]]; then
		warn "the MariaDB admin user $CHARITY_DB_ADMIN_USER has the published default password: set CHARITY_DB_ADMIN_PASSWORD in /etc/charity_beneficiary/bench.env (README \"Production\")"
	fi
	if production_running && [[ "$(production_site)" != "$site" ]]; then
		die "production is running for $(production_site): stop it first (bin/down --production)"
	fi
	# one scheduler per bench (frappe's lock in config/): the demo bench and production never run together
	if [[ -f "$BENCH_ROOT/config/pids/bench.pid" ]]; then "$BENCH_ROOT/bin/down"; fi
	ensure_db_admin
	state=$(site_state "$site" "$db_name")
	if [[ "$state" == partial && "$recreate" != 1 ]]; then
		die "The site $site is incomplete or its database $db_name exists without it: nothing was changed.
   Restore the site folder (sites/$site) or its database (README \"Backup and restore\"). Only
   bin/up --production $site --recreate drops that database and makes the site again."
	fi
	write_production_config "$site"
	start_production_supervisor
	if [[ "$state" != complete ]]; then
		# a strong Administrator password, printed once below and stored nowhere else
		password=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(18))')
	fi
	CHARITY_ADMIN_PASSWORD=${password:-unused} ensure_site "$site" "$db_name" ar
	configure_production_site "$site"
	start_production_site
	cat <<MSG

  Charity Beneficiary PRODUCTION: $(production_url)/app  (site $site, database $db_name)
  gunicorn $((2 * $(nproc) + 1)) workers behind nginx; workers short/default/long, scheduler, socket.io
  Processes: supervisorctl -c $PROD_RUN/supervisord.conf status
  Stop it with: bin/down --production
MSG
	if [[ -n "$password" ]]; then
		cat <<MSG
  Administrator password (shown this once, stored nowhere): $password
  Keep it in the charity's password manager now.
MSG
	fi
	echo
}

production_down() {
	if production_running; then
		local pid
		pid=$(cat "$PROD_RUN/supervisord.pid")
		prod_ctl shutdown >/dev/null
		# supervisord stops every process (workers finish their job) before it exits
		for _ in $(seq 1 120); do
			kill -0 "$pid" 2>/dev/null || break
			sleep 1
		done
		log "Production stopped"
	else
		log "No production running"
	fi
}
