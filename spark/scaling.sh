#!/usr/bin/env bash
# Pairs/s of one data set made four ways in one run: bin/samvaad generate-data on this machine
# with 1 and 2 workers,
# and the Spark generate job (its -job jar, as spark-submit runs it) with local[1] and local[2];
# then checks that the four folders are byte-identical (diff -r). README.md's scaling table
# comes from it.
#
#   spark/scaling.sh [NUM_PAIRS [SEED]]      (default 300 pairs, seed 1)
#
# Needs the project installed first (mvn install -DskipTests); Maven flags for the one Maven call
# here (e.g. -Dmaven.repo.local=...) go in MVN_ARGS, and MAVEN_OPTS reaches bin/samvaad's build.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-300}"
seed="${2:-1}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

jar="$(ls "$root"/spark/target/samvaad-spark-*-job.jar 2>/dev/null | head -1)"
[[ -n "$jar" ]] || { echo "scaling: no job jar in spark/target: run mvn install -DskipTests first" >&2; exit 1; }
# What a Spark installation puts on the classpath (spark-core and its dependencies, SLF4J and Jackson
# among them, from the Maven repository; slf4j-simple logs), then the job jar: what
# spark-submit --class dev.samvaad.spark.SamvaadSpark runs. The Samvaad libraries and picocli come
# from the job jar only.
(cd "$root" && mvn -B -q ${MVN_ARGS:-} -pl spark dependency:build-classpath -DincludeScope=test \
  -DexcludeGroupIds=dev.samvaad,info.picocli,org.junit.jupiter,org.junit.platform,org.assertj,org.opentest4j,org.apiguardian \
  -Dmdep.outputFile="$work/spark.cp")
# spark-submit passes these to Spark's JVMs on Java 17 itself (org.apache.spark.launcher.JavaModuleOptions).
opens="-XX:+IgnoreUnrecognizedVMOptions -Djdk.reflect.useDirectMethodHandle=false"
for p in java.lang java.lang.invoke java.lang.reflect java.io java.net java.nio java.util java.util.concurrent \
    java.util.concurrent.atomic jdk.internal.ref sun.nio.ch sun.nio.cs sun.security.action sun.util.calendar; do
  opens+=" --add-opens=java.base/$p=ALL-UNNAMED"
done

now() { date +%s.%N; }
summary_rate() { grep -o '[0-9.]* pairs/s' "$1" | tail -1; }

echo "scaling: $n pairs, seed $seed, $(nproc) cores; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-34s %10s %12s %14s\n' "how" "wall s" "pairs/s" "job pairs/s"

for workers in 1 2; do
  out="$work/single$workers"
  t0=$(now)
  "$root/bin/samvaad" generate-data --num_pairs "$n" --seed "$seed" --workers "$workers" --output_dir "$out" \
    >"$out.log" 2>/dev/null
  t1=$(now)
  printf '%-34s %10.1f %12.1f %14s\n' "generate-data --workers $workers" "$(echo "$t1 - $t0" | bc)" \
    "$(echo "$n / ($t1 - $t0)" | bc -l)" "$(summary_rate "$out.log")"
done

for master in 'local[1]' 'local[2]'; do
  out="$work/${master//[^a-z0-9]/}"
  t0=$(now)
  SPARK_LOCAL_IP=127.0.0.1 java -Xmx1g $opens --add-modules=jdk.incubator.vector \
    -cp "$(cat "$work/spark.cp"):$jar" -Dspark.ui.enabled=false \
    dev.samvaad.spark.SamvaadSpark generate --master "$master" --num_pairs "$n" --seed "$seed" \
    --output_dir "$out" >"$out.log" 2>"$out.err" || { cat "$out.err" >&2; exit 1; }
  t1=$(now)
  printf '%-34s %10.1f %12.1f %14s\n' "spark generate --master $master" "$(echo "$t1 - $t0" | bc)" \
    "$(echo "$n / ($t1 - $t0)" | bc -l)" "$(summary_rate "$out.log")"
done

diff -r "$work/single2" "$work/single1" >/dev/null && diff -r "$work/single2" "$work/local1" >/dev/null \
  && diff -r "$work/single2" "$work/local2" >/dev/null \
  && echo "byte-identical: generate-data (1 and 2 workers), local[1] and local[2] (diff -r over $(find "$work/single2" -type f | wc -l) files)" \
  || { echo "scaling: the data sets differ" >&2; exit 1; }
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
