# Shared by the tool launchers: find a JDK 25+, rebuild the toolchain when a source is newer than
# the last build, then exec the tool with a class-data-sharing archive so it starts fast.
# Usage (from a launcher): . launch.sh; st_exec MAIN_CLASS TOOL_NAME "$@"

ST_HOME=${ST_HOME:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}

st_java_ok() { # JAVA_EXECUTABLE -> true when it is Java 25 or newer
  local v
  v=$("$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')
  [ -n "$v" ] && [ "${v%%.*}" -ge 25 ] 2>/dev/null
}

st_find_java() {
  if [ -n "${ST_JAVA:-}" ]; then return 0; fi
  local cand
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then
    # fast path: trust the release file instead of starting a JVM
    if grep -qE '^JAVA_VERSION="(2[5-9]|[3-9][0-9])' "$JAVA_HOME/release" 2>/dev/null || st_java_ok "$JAVA_HOME/bin/java"; then
      ST_JAVA="$JAVA_HOME/bin/java"; export ST_JAVA_HOME="$JAVA_HOME"; return 0
    fi
  fi
  for cand in /usr/lib/jvm/*/; do
    if grep -qE '^JAVA_VERSION="(2[5-9]|[3-9][0-9])' "$cand/release" 2>/dev/null && [ -x "$cand/bin/java" ]; then
      ST_JAVA="$cand/bin/java"; ST_JAVA_HOME="${cand%/}"; return 0
    fi
  done
  echo "error: no JDK 25 or newer found: set JAVA_HOME to one, or install one under /usr/lib/jvm" >&2
  exit 2
}

# True when the toolchain jars are missing or a source file is newer than the last build.
st_stale() {
  local stamp="$ST_HOME/build/lib/.stamp"
  [ -f "$stamp" ] || return 0
  [ -n "$(find "$ST_HOME/pom.xml" "$ST_HOME"/*/pom.xml "$ST_HOME"/*/src/main -newer "$stamp" -print -quit 2>/dev/null)" ]
}

st_build() {
  st_find_java
  mkdir -p "$ST_HOME/build"
  (
    flock 9
    if st_stale; then
      echo "building the toolchain (mvn package)..." >&2
            if ! JAVA_HOME="$ST_JAVA_HOME" mvn -q -f "$ST_HOME/pom.xml" -DskipTests package >"$ST_HOME/build/mvn.log" 2>&1; then
        cat "$ST_HOME/build/mvn.log" >&2
        echo "error: building the toolchain failed (log: build/mvn.log)" >&2
        exit 2
      fi
      st_train_caches
      "$ST_JAVA" -cp "$ST_HOME/build/lib/*" st.cli.Docs "$ST_HOME/build/share" \
        $(for t in $ST_TOOLS; do printf '%s.Main ' "$t"; done) >/dev/null 2>&1 || echo "warning: could not generate man pages" >&2
      touch "$ST_HOME/build/lib/.stamp"
    fi
    if st_kernel_stale; then
      echo "building the kernel (scripts/build-kernel)..." >&2
      ST_NO_BUILD=1 "$ST_HOME/scripts/build-kernel" >&2 || { echo "error: building the kernel failed" >&2; exit 2; }
    fi
  ) 9>"$ST_HOME/build/.lock" || exit 2
}

# True when a kernel library (linux-x64, windows-x64) is missing or older than a kernel source or the toolchain.
st_kernel_stale() {
  local lib
  for lib in "$ST_HOME/build/kernel/kernel.stl" "$ST_HOME/build/kernel/kernel-windows.stl"; do
    [ "$lib" != "$ST_HOME/build/kernel/kernel-windows.stl" ] || [ -d "$ST_HOME/kernel/Windows" ] || continue
    [ -f "$lib" ] || return 0
    [ -z "$(find "$ST_HOME/kernel" "$ST_HOME/build/lib/.stamp" -newer "$lib" -print -quit 2>/dev/null)" ] || return 0
  done
  return 1
}

ST_TOOLS="stc stjit stlink strun stdump"

# One AOT cache per tool (JEP 483/514), trained on --version and --help: it holds the tool's
# startup classes already loaded and linked, which cuts start time roughly in half.
st_train_caches() {
  local t
  rm -rf "$ST_HOME/build/aot"; mkdir -p "$ST_HOME/build/aot"
  for t in $ST_TOOLS; do
    "$ST_JAVA" -XX:AOTCacheOutput="$ST_HOME/build/aot/$t.aot" -Xlog:aot=off -Xlog:cds=off \
      $ST_JVM_FLAGS -cp "$ST_HOME/build/lib/*" "$t.Main" --help >/dev/null 2>&1 || true
  done
}

# True when an AOT cache is missing or older than a jar (so the launchers would not use it).
st_caches_stale() {
  local t
  for t in $ST_TOOLS; do
    [ -f "$ST_HOME/build/aot/$t.aot" ] || return 0
    [ -z "$(find "$ST_HOME/build/lib" -name '*.jar' -newer "$ST_HOME/build/aot/$t.aot" -print -quit 2>/dev/null)" ] || return 0
  done
  return 1
}

ST_JVM_FLAGS="-XX:TieredStopAtLevel=${ST_TIER:-1} -XX:+UseSerialGC -XX:-UsePerfData --enable-native-access=ALL-UNNAMED"

st_exec() {
  local main=$1 tool=$2; shift 2
  st_find_java
  if [ -z "${ST_NO_BUILD:-}" ] && { st_stale || st_kernel_stale; }; then st_build; fi
  if [ ! -f "$ST_HOME/build/lib/$tool-"*.jar ] 2>/dev/null && ! ls "$ST_HOME/build/lib/$tool-"*.jar >/dev/null 2>&1; then
    echo "error: the toolchain is not built in $ST_HOME (no build/lib/$tool-*.jar)" >&2; exit 2
  fi
  # The JVM does not notice that a jar changed under its AOT cache, and would run the cached
  # (old) classes: a cache older than any jar is not used (st_build or mvn install retrain it).
  local aot="$ST_HOME/build/aot/$tool.aot" cache=
  if [ -f "$aot" ] && [ -z "$(find "$ST_HOME/build/lib" -name '*.jar' -newer "$aot" -print -quit 2>/dev/null)" ]; then
    cache="-XX:AOTCache=$aot"
  fi
  exec "$ST_JAVA" $cache -Xlog:aot=off -Xlog:cds=off \
    $ST_JVM_FLAGS -Dst.home="$ST_HOME" ${ST_JAVA_OPTS:-} -cp "$ST_HOME/build/lib/*" "$main" "$@"
}
