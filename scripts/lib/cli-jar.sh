# Sourced by the scripts that run a runnable jar of this checkout (scripts/tierflow, scripts/bench,
# scripts/microbench); expects $root, the repository root. Knows where the jars are, whether one is older than the
# sources, and how to build it.
cli_jar="$root/cli/target/tierflow.jar"
bench_jar="$root/bench/target/tierflow-bench.jar"
microbench_jar="$root/microbench/target/tierflow-microbench.jar"

# True if the jar ($1) is missing or a POM or anything under a module's src/ is newer than it. Only sources count:
# the stack's data directory (.tierflow/) holds .properties files that change at every start.
jar_stale() {
  [ ! -f "$1" ] && return 0
  [ -n "$(find "$root"/pom.xml "$root"/*/pom.xml "$root"/*/src -path '*/node_modules' -prune -o \
      -type f -newer "$1" -print -quit 2>/dev/null)" ]
}

# Builds a module's jar and the modules it needs inside this checkout. `package`, not `install`: the reactor resolves
# the sibling modules itself, and the snapshot jars in ~/.m2 (which other checkouts may use) stay untouched.
# -DskipTests, not -Dmaven.test.skip: streams-app needs local-stack's test jar, which the latter would not build.
# Two commands started at once (e.g. `tierflow streams` and `tierflow produce`) must not build at the same time:
# the second waits for the first's lock and then finds the jar fresh.
# The benchmark modules write their runnable jars only with -Prunnable-jar (mvn verify need not spend time on them).
# Usage: jar_build <module> <jar> <name to show in the message> [more Maven arguments]
jar_build() {
  local lock="${TMPDIR:-/tmp}/tierflow-build-$(printf '%s' "$root" | cksum | cut -d' ' -f1).lock"
  (
    flock 9
    if jar_stale "$2"; then
      echo "$3: building $1 (first run takes a few minutes while Maven downloads dependencies)..." >&2
      (cd "$root" && mvn -B -q -DskipTests -pl "$1" -am package "${@:4}") >&2
    fi
  ) 9>"$lock"
}

cli_jar_stale() { jar_stale "$cli_jar"; }
# Usage: cli_jar_build <name to show in the message>
cli_jar_build() { jar_build cli "$cli_jar" "$1"; }
