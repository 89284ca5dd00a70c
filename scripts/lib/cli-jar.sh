# Sourced by the scripts that run the CLI jar (scripts/tierflow, scripts/bench); expects $root, the repository root.
# Knows where the jar is, whether it is older than the sources, and how to build it.
cli_jar="$root/cli/target/tierflow.jar"

# True if the jar is missing or any source, schema, POM or properties file is newer than it.
cli_jar_stale() {
  [ ! -f "$cli_jar" ] && return 0
  [ -n "$(find "$root" -path '*/target' -prune -o -path '*/node_modules' -prune -o \
      \( -name '*.java' -o -name '*.avsc' -o -name 'pom.xml' -o -name '*.properties' \) -newer "$cli_jar" -print -quit)" ]
}

# Builds the CLI jar and the modules it needs inside this checkout. `package`, not `install`: the reactor resolves
# the sibling modules itself, and the snapshot jars in ~/.m2 (which other checkouts may use) stay untouched.
# Usage: cli_jar_build <name to show in the message>
cli_jar_build() {
  echo "$1: building the CLI (first run takes a few minutes while Maven downloads dependencies)..." >&2
  (cd "$root" && mvn -B -q -Dmaven.test.skip=true -pl cli -am package) >&2
}
