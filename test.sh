#!/usr/bin/env bash
# Runs every test of CSP Commerce: the domain, the CLI, and the host on SQLite and on PostgreSQL, some in a real browser.
# PostgreSQL is installed from Debian's packages if it is missing and started on a loopback port;
# set CSP_TEST_POSTGRES to an Npgsql connection string to use another server instead. Chromium and its driver are
# installed from Debian's packages if missing (CSP_TEST_CHROMIUM and CSP_TEST_CHROMEDRIVER name others), axe-core from
# npm (CSP_TEST_AXE names another axe.min.js).
set -euo pipefail
cd "$(dirname "$0")"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -c "$1"; else sudo -u postgres bash -c "$1"; fi; }

if [ -z "${CSP_TEST_POSTGRES:-}" ]; then
  if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
    echo "test.sh: installing PostgreSQL from Debian's packages"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
  if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$version main"; then
    as_root pg_createcluster "$version" main >/dev/null
  fi
  if ! pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $4}' | grep -q online; then
    as_root pg_ctlcluster "$version" main start
  fi
  port=$(pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $3}')
  for _ in $(seq 1 30); do
    as_postgres "psql -p $port -qtAc 'select 1'" >/dev/null 2>&1 && break
    sleep 1
  done
  as_postgres "psql -p $port -v ON_ERROR_STOP=1 -q" <<'SQL'
DO $$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'csp') THEN
    CREATE ROLE csp LOGIN CREATEDB PASSWORD 'csp';
  END IF;
END $$;
-- A test database is dropped WITH (FORCE); an autovacuum worker busy in it is not csp's to stop without this.
GRANT pg_signal_backend TO csp;
SQL
  export CSP_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=csp;Password=csp;Database=postgres"
fi

# The real-browser tests drive Debian's Chromium through its chromedriver, and check pages with axe-core from npm.
if [ -z "${CSP_TEST_CHROMIUM:-}" ] && ! { [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; }; then
  echo "test.sh: installing Chromium and its driver from Debian's packages"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi
if [ -z "${CSP_TEST_AXE:-}" ]; then
  axe_dir="${XDG_CACHE_HOME:-$HOME/.cache}/csp-commerce/axe-core-4.14.1"
  if [ ! -f "$axe_dir/node_modules/axe-core/axe.min.js" ]; then
    echo "test.sh: installing axe-core from npm"
    if ! command -v npm >/dev/null; then
      as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
    fi
    mkdir -p "$axe_dir"
    npm install --silent --no-audit --no-fund --prefix "$axe_dir" axe-core@4.14.1 >/dev/null
  fi
  export CSP_TEST_AXE="$axe_dir/node_modules/axe-core/axe.min.js"
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
status=0
dotnet test --solution Csp.slnx 2>&1 | tee "$log" || status=$?

# The benchmarks once on a small generated file, to keep the harness working (figures: README, Performance): the usage
# import through the API on SQLite and PostgreSQL (no warm-up rounds: only that it works is checked here), the stored month on PostgreSQL,
# and the billing run for 300 customers on both.
# They run in Debug, on what the test run built: the figures in the README come from Release builds, as the README says.
bench_dir=$(mktemp -d)
trap 'rm -f "$log"; rm -rf "$bench_dir"' EXIT
dotnet run --project bench/Csp.Bench -- --rows 100000 --runs 1 --warmup 0 --file "$bench_dir/usage.csv" --customers 300 --previews 20 --renders 3 --postgres "$CSP_TEST_POSTGRES" || status=$?

# The failed tests by name, then one plain closing line for the whole run, summed over the test projects.
grep -E '^[[:space:]]*failed [A-Za-z_]' "$log" | sed -E 's/^[[:space:]]*/  /' || true
awk '/^  failed:/ {f += $2} /^  succeeded:/ {p += $2} END {printf "%d passed, %d failed\n", p, f}' "$log"
exit "$status"
