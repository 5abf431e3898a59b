#!/usr/bin/env bash
# Runs the test suites of real open-source projects without and with the jlockdep agent, one JVM per test class, and
# prints for each: wall and CPU time of both runs, the tests the agent broke, and every distinct finding.
# docs/real-world.md explains the subjects and holds the triaged table.
#
#   benchmarks/real-world.sh [options] [AGENT_JAR]
#
#   AGENT_JAR               the agent to measure (default: agent/target/jlockdep-agent.jar; build it first with
#                           mvn -B -q -DskipTests package)
#   --subjects a,b,...      subjects to run (default: all; see `--list`)
#   --list                  list the subjects and exit
#   --work DIR              where projects, reports and results go (default: benchmarks/target/real-world)
#   --timeout SECONDS       limit for one suite run, baseline or agent (default: 3600)
#   --agent-options OPTS    extra agent options, appended after json=...,out=... (e.g. startup=background)
#   --reuse-baseline        keep the baseline (no agent) results of an earlier run in --work when there are some
#   --resolve-only          generate the projects and download what they need, run nothing timed
#
# Not run in CI: it downloads released artifacts from Maven Central (each subject's jar, its `tests` classifier jar
# with the compiled test classes, and the test dependencies of its released POM) and takes about an hour on an idle
# 2-core machine (much longer on a loaded one). Nothing is built from source: each subject is a generated Maven
# project whose Surefire scans the `tests` jar (<dependenciesToScan>), with forkCount=1 and reuseForks=false.
# Needs mvn (3.6.3 or later), java and python3.
set -euo pipefail
cd "$(dirname "$0")/.."

die() { echo "real-world.sh: $*" >&2; exit 2; }

# ---------------------------------------------------------------------------------------------------------------------
# Subjects. Each sets:
#   TITLE      name and version as the table shows it
#   GAV        the released artifact; its `tests` classifier jar holds the test classes that are run
#   DEPS       the test class path besides those two, as in the released POM (and its parent's dependencyManagement):
#              groupId:artifactId:version[:classifier] [!exclGroup:exclArtifact ...]
#   BOMS       BOMs the project's build imports (JUnit's aligns the versions of the JUnit Platform jars)
#   INCLUDES   Surefire includes, as in the project's POM
#   EXCLUDES   Surefire excludes: the project's own, then the tests excluded here and why
#   ARGLINE    the project's own Surefire argLine
#   WARM_TEST  one quick test class, run once to download Surefire's provider before anything is timed
#   FLAKY      tests seen failing WITHOUT the agent on this machine (timing, network set-up): the report lists them
#              apart and never counts them as broken by the agent
#   RESOURCE_DIRS  optional: directories of each run's (otherwise empty) working directory into which the `tests` jar
#              is unpacked first, for tests that open their resources as files by the paths of the project's build
# ---------------------------------------------------------------------------------------------------------------------
SUBJECTS=(pool2 dbcp2 jcs3 lang3 config2)

subject_pool2() {
    TITLE="Apache Commons Pool 2.13.0"
    GAV=org.apache.commons:commons-pool2:2.13.0
    BOMS=("org.junit:junit-bom:5.14.1")
    DEPS=(
        "org.junit.jupiter:junit-jupiter:5.14.1"
        "org.apache.commons:commons-lang3:3.20.0"
        "cglib:cglib:3.3.0"
        "org.ow2.asm:asm-util:9.9"
    )
    INCLUDES=("**/Test*.java" "**/*Test.java")
    EXCLUDES=(
        "**/TestSoftRefOutOfMemory.java"    # the project's own exclusion: it fills the heap on purpose
    )
    FLAKY=(
        # fixed sleeps against the evictor thread or waiting borrowers (100 ms for two borrowers to be served, an
        # evictor every 100 ms that must have run within 150 ms, ...): each failed without the agent on a loaded
        # machine
        org.apache.commons.pool2.impl.TestGenericObjectPool.testReturnAndInvalidateServesWaiters
        org.apache.commons.pool2.impl.TestGenericObjectPool.testBorrowObjectFairness
        org.apache.commons.pool2.impl.TestGenericObjectPool.testStartAndStopEvictor
        org.apache.commons.pool2.impl.TestGenericKeyedObjectPool.testBorrowObjectFairness
        org.apache.commons.pool2.impl.TestGenericKeyedObjectPool.testEviction
        org.apache.commons.pool2.impl.TestGenericKeyedObjectPool.testEviction2
        # 200 ms sleeps against a 500 ms idle limit: failed 1 run in 1 without the agent at load 11
        org.apache.commons.pool2.impl.TestGenericKeyedObjectPool.testEvictionOrder
    )
    # The project's own profile for Java 16 and later (its cglib proxy tests).
    ARGLINE="--add-opens java.base/java.lang=ALL-UNNAMED"
    WARM_TEST=TestPoolUtils
}

subject_dbcp2() {
    TITLE="Apache Commons DBCP 2.14.0"
    GAV=org.apache.commons:commons-dbcp2:2.14.0
    BOMS=("org.junit:junit-bom:5.14.1")
    DEPS=(
        "org.apache.commons:commons-pool2:2.13.0"
        "commons-logging:commons-logging:1.3.5"
        "jakarta.transaction:jakarta.transaction-api:1.3.3"
        "org.junit.jupiter:junit-jupiter:5.14.1"
        "org.mockito:mockito-core:4.11.0"
        "org.apache.commons:commons-lang3:3.20.0"
        "tomcat:naming-common:5.0.28"
        "tomcat:naming-java:5.0.28"
        "org.apache.geronimo.modules:geronimo-transaction:2.2.1 !commons-logging:commons-logging"
        "org.slf4j:slf4j-simple:2.0.17"
        "com.h2database:h2:2.2.224"
        "org.jboss.narayana.jta:narayana-jta:5.12.7.Final"
        "org.jboss:jboss-transaction-spi:8.0.0.Final !org.jboss.logging:jboss-logging-spi"
        "org.jboss.logging:jboss-logging:3.4.3.Final"
    )
    INCLUDES=("**/Test*.java" "**/*Test.java" "**/*Tests.java" "**/*TestCase.java")
    EXCLUDES=(
        "**/Tester*.java"                   # the project's own exclusions: test support classes
        "**/Test*\$*.java"
    )
    ARGLINE=""
    WARM_TEST=TestConstants
    FLAKY=()
}

subject_jcs3() {
    TITLE="Apache Commons JCS 3.2.1 (core)"
    GAV=org.apache.commons:commons-jcs3-core:3.2.1
    BOMS=()
    DEPS=(
        "org.apache.logging.log4j:log4j-api:2.23.1"
        "org.apache.commons:commons-dbcp2:2.12.0"
        "org.apache.httpcomponents:httpclient:4.5.14"
        "javax.servlet:javax.servlet-api:3.1.0"
        "hsqldb:hsqldb:1.8.0.10"
        "org.apache.commons:commons-collections4:4.4"
        "junit:junit:4.13.2 !org.hamcrest:hamcrest-core"
        "org.hamcrest:hamcrest:2.2"
    )
    INCLUDES=("**/*UnitTest.java")
    EXCLUDES=(
        "**/UDPDiscovery*"                  # the project's own exclusion: UDP multicast discovery
    )
    ARGLINE="-Xmx256m"
    WARM_TEST=DoubleLinkedListUnitTest
    FLAKY=(
        # expects the host's LAN address to be an IPv4 site-local one; here it is an IPv6 unique-local address
        org.apache.commons.jcs3.auxiliary.remote.server.BasicRemoteCacheClientServerUnitTest.testLocalHost
        # its @AfterClass (reported as the class, "<class>") unexports an RMI object that is no longer exported
        "org.apache.commons.jcs3.auxiliary.remote.server.BasicRemoteCacheClientServerUnitTest.<class>"
        # fixed sleeps: 10 TCP messages must arrive within 40 ms, one RMI put within 50 ms, an element must expire
        # within 100 ms of its max life; each failed in some run without the agent on this loaded machine, or with
        # it only (see docs/real-world.md)
        org.apache.commons.jcs3.auxiliary.lateral.socket.tcp.TestTCPLateralUnitTest.testSimpleSend
        org.apache.commons.jcs3.auxiliary.lateral.socket.tcp.TestTCPLateralUnitTest.testSimpleEncriptedSend
        org.apache.commons.jcs3.auxiliary.remote.server.BasicRemoteCacheClientServerUnitTest.test2PutRemove
        org.apache.commons.jcs3.engine.control.event.SimpleEventHandlingUnitTest.testExceededMaxlifeOnrequestEvent
    )
}

subject_lang3() {
    TITLE="Apache Commons Lang 3.20.0 (package concurrent)"
    GAV=org.apache.commons:commons-lang3:3.20.0
    BOMS=("org.junit:junit-bom:5.13.4")
    DEPS=(
        "org.junit.jupiter:junit-jupiter:5.13.4"
        "org.junit-pioneer:junit-pioneer:1.9.1"
        "org.easymock:easymock:5.6.0"
        "org.apache.commons:commons-text:1.14.0"
    )
    # Only the concurrency package: the whole suite is 200+ test classes of string and reflection utilities.
    INCLUDES=("org/apache/commons/lang3/concurrent/**/*Test.java")
    EXCLUDES=()
    ARGLINE=""
    WARM_TEST=ConstantInitializerTest
    FLAKY=()
}

subject_config2() {
    TITLE="Apache Commons Configuration 2.15.1"
    GAV=org.apache.commons:commons-configuration2:2.15.1
    BOMS=("org.junit:junit-bom:5.14.3" "org.mockito:mockito-bom:4.11.0")
    # The released POM's dependencies, optional and provided ones included (all are on its test class path).
    DEPS=(
        "org.apache.commons:commons-lang3:3.20.0"
        "org.apache.commons:commons-text:1.15.0"
        "commons-logging:commons-logging:1.3.6 !logkit:logkit !avalon-framework:avalon-framework"
        "commons-beanutils:commons-beanutils:1.11.0"
        "commons-codec:commons-codec:1.22.0"
        "org.apache.commons:commons-jexl:2.1.1"
        "org.apache.commons:commons-vfs2:2.10.0"
        "org.apache.httpcomponents:httpcore-nio:4.4.16"
        "commons-io:commons-io:2.22.0"
        "commons-jxpath:commons-jxpath:1.4.0 !xerces:xerces !ant:ant-optional"
        "xml-resolver:xml-resolver:1.2"
        "org.springframework:spring-core:5.3.39 !org.springframework:spring-jcl"
        "org.springframework:spring-beans:5.3.39"
        "org.springframework:spring-context:5.3.39"
        "org.springframework:spring-test:5.3.39"
        "javax.servlet:servlet-api:2.5"
        "jakarta.servlet:jakarta.servlet-api:5.0.0"
        "org.yaml:snakeyaml:2.6"
        "com.fasterxml.jackson.core:jackson-databind:2.21.3"
        "org.apache.commons:commons-dbcp2:2.14.0"
        "org.apache.commons:commons-pool2:2.13.1"
        "org.hsqldb:hsqldb:2.5.2"
        "org.dbunit:dbunit:3.0.0"
        "org.junit.jupiter:junit-jupiter:5.14.3"
        "org.junit-pioneer:junit-pioneer:1.9.1"
        "org.mockito:mockito-core:4.11.0"
        "com.sun.mail:mailapi:2.0.2"
        "org.apache.logging.log4j:log4j-1.2-api:2.26.0"
        "org.apache.logging.log4j:log4j-core:2.26.0"
        "org.slf4j:slf4j-api:2.0.17"
        "org.slf4j:slf4j-ext:2.0.17"
        "org.slf4j:slf4j-log4j12:2.0.17"
        "org.slf4j:slf4j-nop:2.0.17"
    )
    INCLUDES=("**/Test*.java" "**/*Test.java" "**/*Tests.java" "**/*TestCase.java")   # Surefire's defaults
    EXCLUDES=(
        "**/TestWebdavConfigurationBuilder.java"   # the project's own exclusion: needs a WebDAV server
    )
    # The project's systemPropertyVariables, and its profile for Java 16 and later (--illegal-access=permit, which
    # JDK 17 ignores with a warning, left out).
    ARGLINE="-Djava.awt.headless=true -Dorg.apache.commons.logging.Log=org.apache.commons.configuration2.Logging --add-opens java.base/java.lang=ALL-UNNAMED"
    WARM_TEST=TestEventType
    FLAKY=()
    # ConfigurationAssert and several tests open their files as target/test-classes/... or src/test/resources/...
    RESOURCE_DIRS=(target/test-classes src/test/resources)
}

# Writes the generated project of the current subject into $1/pom.xml.
write_pom() {
    local dir=$1 g a v dep spec excl deps_xml="" boms_xml="" includes_xml="" excludes_xml=""
    IFS=: read -r g a v <<<"$GAV"
    deps_xml+="    <dependency><groupId>$g</groupId><artifactId>$a</artifactId><version>$v</version></dependency>
    <dependency><groupId>$g</groupId><artifactId>$a</artifactId><version>$v</version><classifier>tests</classifier><scope>test</scope></dependency>
"
    for dep in "${DEPS[@]}"; do
        read -r spec excl <<<"$dep"
        local dg da dv dc
        IFS=: read -r dg da dv dc <<<"$spec"
        deps_xml+="    <dependency><groupId>$dg</groupId><artifactId>$da</artifactId><version>$dv</version>"
        [[ -n "$dc" ]] && deps_xml+="<classifier>$dc</classifier>"
        deps_xml+="<scope>test</scope>"
        if [[ -n "$excl" ]]; then
            deps_xml+="<exclusions>"
            for e in $excl; do
                e=${e#!}
                deps_xml+="<exclusion><groupId>${e%%:*}</groupId><artifactId>${e#*:}</artifactId></exclusion>"
            done
            deps_xml+="</exclusions>"
        fi
        deps_xml+="</dependency>
"
    done
    for dep in "${BOMS[@]}"; do
        IFS=: read -r dg da dv <<<"$dep"
        boms_xml+="      <dependency><groupId>$dg</groupId><artifactId>$da</artifactId><version>$dv</version><type>pom</type><scope>import</scope></dependency>
"
    done
    for p in "${INCLUDES[@]}"; do includes_xml+="<include>$p</include>"; done
    for p in "${EXCLUDES[@]}"; do excludes_xml+="<exclude>$p</exclude>"; done
    cat >"$dir/pom.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<!-- Generated by benchmarks/real-world.sh: runs the released tests of $GAV. -->
<project xmlns="http://maven.apache.org/POM/4.0.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <groupId>io.jlockdep.realworld</groupId>
  <artifactId>$a-tests</artifactId>
  <version>1</version>
  <properties>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
    <rw.argLine></rw.argLine>
    <rw.reports>\${project.build.directory}/surefire-reports</rw.reports>
    <rw.workdir>\${basedir}</rw.workdir>
  </properties>
  <dependencyManagement>
    <dependencies>
$boms_xml    </dependencies>
  </dependencyManagement>
  <dependencies>
$deps_xml  </dependencies>
  <build>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-surefire-plugin</artifactId>
        <version>3.5.2</version>
        <configuration>
          <dependenciesToScan><dependency>$g:$a:jar:tests</dependency></dependenciesToScan>
          <includes>$includes_xml</includes>
          <excludes>$excludes_xml</excludes>
          <forkCount>1</forkCount>
          <reuseForks>false</reuseForks>
          <runOrder>alphabetical</runOrder>
          <argLine>$ARGLINE \${rw.argLine}</argLine>
          <reportsDirectory>\${rw.reports}</reportsDirectory>
          <!-- each run starts in an empty directory: tests leave files (databases, disk caches) behind -->
          <workingDirectory>\${rw.workdir}</workingDirectory>
          <redirectTestOutputToFile>true</redirectTestOutputToFile>
          <testFailureIgnore>true</testFailureIgnore>
          <trimStackTrace>false</trimStackTrace>
          <!-- one test JVM that hangs is ended and reported, the rest of the suite goes on -->
          <forkedProcessTimeoutInSeconds>900</forkedProcessTimeoutInSeconds>
        </configuration>
      </plugin>
    </plugins>
  </build>
</project>
EOF
}

# Writes to $1 the user + system seconds used so far by this shell's waited-for children (bash's `times`, second line:
# "1m2.5s 0m3.1s"). `times` must run in this shell, not in a pipeline or $(...), which are subshells of their own.
children_cpu_seconds() {
    times >"$1.times"
    tail -1 "$1.times" | awk '{ s = 0; for (i = 1; i <= 2; i++) { split($i, p, "m"); s += p[1] * 60 + p[2] } printf "%.2f\n", s }' >"$1"
    rm -f "$1.times"
}

# Runs the suite of the current subject once: $1 = run directory, $2 = extra argLine. Records wall seconds and status.
run_suite() {
    local run=$1 extra=$2 start end status=0
    rm -rf "$run"
    mkdir -p "$run/json" "$run/out" "$run/work"
    local dir
    for dir in "${RESOURCE_DIRS[@]}"; do
        mkdir -p "$run/work/$dir"
        python3 -m zipfile -e "$project/tests.jar" "$run/work/$dir"
    done
    local argline=$extra
    argline=${argline//@RUN@/$run}
    echo "$(cut -d' ' -f1-3 /proc/loadavg)" >"$run/load-before"
    start=$(date +%s.%N)
    children_cpu_seconds "$run/cpu-before"
    timeout --kill-after=30 "$timeout_s" mvn -B -o -f "$project/pom.xml" test \
        "-Drw.argLine=$argline" "-Drw.reports=$run/reports" "-Drw.workdir=$run/work" >"$run/mvn.log" 2>&1 || status=$?
    end=$(date +%s.%N)
    children_cpu_seconds "$run/cpu-after"
    echo "$(cut -d' ' -f1-3 /proc/loadavg)" >"$run/load-after"
    echo "$start $end" >"$run/times"
    # CPU time (user + system) of Maven and every test JVM it waited for: less disturbed than wall time by whatever
    # else the machine runs.
    awk -v a="$(cat "$run/cpu-before")" -v b="$(cat "$run/cpu-after")" 'BEGIN { printf "%.2f\n", b - a }' >"$run/cpu"
    rm -f "$run/cpu-before" "$run/cpu-after"
    echo "$status" >"$run/status"
    if [[ $status -eq 124 || $status -eq 137 ]]; then
        echo "   TIMED OUT after ${timeout_s}s (see $run/mvn.log)"
    elif [[ $status -ne 0 ]]; then
        echo "   mvn exited with $status (see $run/mvn.log)"
    fi
    awk -v s="$start" -v e="$end" 'BEGIN { printf "   %.0f s\n", e - s }'
}

main() {
    agent_jar=agent/target/jlockdep-agent.jar
    work=benchmarks/target/real-world
    timeout_s=3600
    agent_options=""
    reuse_baseline=false
    resolve_only=false
    selected=("${SUBJECTS[@]}")
    while [[ $# -gt 0 ]]; do
        case "$1" in
            --subjects) [[ $# -ge 2 ]] || die "--subjects needs a value"; IFS=, read -r -a selected <<<"$2"; shift 2 ;;
            --work) [[ $# -ge 2 ]] || die "--work needs a value"; work=$2; shift 2 ;;
            --timeout) [[ $# -ge 2 && "$2" =~ ^[0-9]+$ ]] || die "--timeout needs a number of seconds"; timeout_s=$2; shift 2 ;;
            --agent-options) [[ $# -ge 2 ]] || die "--agent-options needs a value"; agent_options=$2; shift 2 ;;
            --reuse-baseline) reuse_baseline=true; shift ;;
            --resolve-only) resolve_only=true; shift ;;
            --list) for s in "${SUBJECTS[@]}"; do "subject_$s"; printf '%-8s %s (%s)\n' "$s" "$TITLE" "$GAV"; done; exit 0 ;;
            -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
            -*) die "unknown option '$1' (see --help)" ;;
            *) agent_jar=$1; shift ;;
        esac
    done
    for s in "${selected[@]}"; do
        declare -F "subject_$s" >/dev/null || die "unknown subject '$s'; subjects: ${SUBJECTS[*]}"
    done

    command -v mvn >/dev/null || die "mvn is not on PATH"
    command -v java >/dev/null || die "java is not on PATH"
    command -v python3 >/dev/null || die "python3 is not on PATH (it reads the reports)"
    local mvn_version
    mvn_version=$(mvn -v 2>/dev/null | sed 's/\x1b\[[0-9;]*m//g' | awk '/^Apache Maven/ {print $3; exit}')
    [[ "$(printf '%s\n' 3.6.3 "$mvn_version" | sort -V | head -1)" == 3.6.3 ]] ||
        die "Maven 3.6.3 or later is needed (Surefire 3.5.2), this is '${mvn_version:-unknown}'"
    [[ -f "$agent_jar" ]] || die "no agent jar at '$agent_jar'; build it with: mvn -B -q -DskipTests package"
    agent_jar=$(cd "$(dirname "$agent_jar")" && pwd)/$(basename "$agent_jar")
    mkdir -p "$work"
    work=$(cd "$work" && pwd)

    echo "agent: $agent_jar"
    echo "work:  $work"
    echo "java:  $(java -version 2>&1 | head -1); $(mvn -v 2>/dev/null | head -1 | sed 's/\x1b\[[0-9;]*m//g')"
    skipped=()
    ran=()
    for s in "${selected[@]}"; do
        RESOURCE_DIRS=()
        "subject_$s"
        project=$work/$s
        mkdir -p "$project"
        write_pom "$project"
        echo "== $s: $TITLE"
        echo "   resolving (one test class, not timed)"
        rm -rf "$project/warm-up"
        mkdir -p "$project/warm-up"
        if ! timeout "$timeout_s" mvn -B -f "$project/pom.xml" test -Dtest="$WARM_TEST" -Dsurefire.failIfNoSpecifiedTests=false \
            "-Drw.reports=$project/warm-up/reports" "-Drw.workdir=$project/warm-up" >"$project/warm-up.log" 2>&1; then
            grep -E '^\[ERROR\]' "$project/warm-up.log" | head -5 >&2
            echo "real-world.sh: $s: could not resolve or start its tests, skipped (see $project/warm-up.log)" >&2
            skipped+=("$s")
            continue
        fi
        if [[ ${#RESOURCE_DIRS[@]} -gt 0 ]]; then
            rm -rf "$project/tests-jar"
            if ! mvn -B -f "$project/pom.xml" org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
                "-Dartifact=$GAV:jar:tests" "-DoutputDirectory=$project/tests-jar" >"$project/tests-jar.log" 2>&1; then
                echo "real-world.sh: $s: could not copy its tests jar, skipped (see $project/tests-jar.log)" >&2
                skipped+=("$s")
                continue
            fi
            mv "$project/tests-jar/"*.jar "$project/tests.jar"
            rm -rf "$project/tests-jar"
        fi
        echo "$TITLE" >"$project/title"
        printf '%s\n' "${FLAKY[@]}" >"$project/known-flaky"
        $resolve_only && continue
        if $reuse_baseline && [[ -f "$project/baseline/status" ]]; then
            echo "   baseline: reusing $project/baseline"
        else
            echo "   baseline (no agent)"
            run_suite "$project/baseline" ""
        fi
        opts="json=@RUN@/json/jlockdep-%p.json,out=@RUN@/out/jlockdep-%p.txt"
        [[ -n "$agent_options" ]] && opts+=",$agent_options"
        echo "   with the agent ($opts)"
        run_suite "$project/agent" "-javaagent:$agent_jar=$opts"
        echo "   merging the JVMs' graphs (java -jar agent merge)"
        merge_status=0
        shopt -s nullglob
        jsons=("$project/agent/json/"*.json)
        shopt -u nullglob
        if [[ ${#jsons[@]} -gt 0 ]]; then
            timeout 600 java -jar "$agent_jar" merge "${jsons[@]}" >"$project/agent/merge.txt" 2>&1 || merge_status=$?
        fi
        echo "$merge_status" >"$project/agent/merge-status"
        ran+=("$s")
    done
    if [[ ${#skipped[@]} -gt 0 ]]; then
        echo "real-world.sh: skipped (see above): ${skipped[*]}" >&2
    fi
    $resolve_only && exit 0
    [[ ${#ran[@]} -gt 0 ]] || die "no subject ran"

    echo
    python3 benchmarks/real-world-report.py "$work" "${ran[@]}"
    [[ ${#skipped[@]} -eq 0 ]] || exit 1
}

main "$@"
