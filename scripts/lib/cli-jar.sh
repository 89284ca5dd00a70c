# Sourced by the scripts that run the CLI jar (scripts/tierflow, scripts/bench); expects $root, the repository root.
# Knows where the jar is, whether it is older than the sources, and how to build it.
cli_jar="$root/cli/target/tierflow.jar"

# True if the jar is missing or a POM or anything under a module's src/ is newer than it. Only sources count:
# the stack's data directory (.tierflow/) holds .properties files that change at every start.
cli_jar_stale() {
  [ ! -f "$cli_jar" ] && return 0
  [ -n "$(find "$root"/pom.xml "$root"/*/pom.xml "$root"/*/src -path '*/node_modules' -prune -o \
      -type f -newer "$cli_jar" -print -quit 2>/dev/null)" ]
}

# Builds the CLI jar and the modules it needs inside this checkout. `package`, not `install`: the reactor resolves
# the sibling modules itself, and the snapshot jars in ~/.m2 (which other checkouts may use) stay untouched.
# Two commands started at once (e.g. `tierflow streams` and `tierflow produce`) must not build at the same time:
# the second waits for the first's lock and then finds the jar fresh.
# Usage: cli_jar_build <name to show in the message>
cli_jar_build() {
  local lock="${TMPDIR:-/tmp}/tierflow-build-$(printf '%s' "$root" | cksum | cut -d' ' -f1).lock"
  (
    flock 9
    if cli_jar_stale; then
      echo "$1: building the CLI (first run takes a few minutes while Maven downloads dependencies)..." >&2
      (cd "$root" && mvn -B -q -DskipTests -pl cli -am package) >&2
    fi
  ) 9>"$lock"
}
