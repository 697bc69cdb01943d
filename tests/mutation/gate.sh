#!/usr/bin/env bash
# The mutation gate: Stryker.NET on each mutated project with the tests that exercise it, then the score check.
#
#   tests/mutation/gate.sh                      full run on every project (Reference Engine Explorer Smt)
#   tests/mutation/gate.sh --since main~5       only mutants in files changed since that commit
#   tests/mutation/gate.sh Engine Explorer      only these projects
#   tests/mutation/gate.sh --write-baseline     full run, then record the scores (and this commit) as the baseline
#   tests/mutation/gate.sh --recheck DIR Engine re-test only the mutants an earlier run left undetected (DIR holds
#                                               Engine/reports/mutation-report.json, a copy of StrykerOutput/gate), then
#                                               print the earlier score with the new verdicts merged in (valid when tests
#                                               were only added since; a measure while writing tests, not the gate)
#   tests/mutation/gate.sh --mutate '**/Compact/**/*.cs' Explorer
#                                               a full run of part of a project (Stryker mutate patterns); the parts'
#                                               reports, joined with survivors.py join, make the project's full run
#                                               when they cover every file at one commit
#   tests/mutation/gate.sh --concurrency 1 ... Stryker's test sessions at once (stryker-config.json: 2); two parts run side
#                                               by side with 1 each share the machine's two cores
#   tests/mutation/gate.sh --ci                 what .ci/run does: per project with a recorded score, compared with
#                                               the baseline commit, a full run when its tests changed (if its last
#                                               full run, "minutes" in baseline.json, fits the CI budget; else a
#                                               since-run, and a note that the ratchet was not checked), a since-run
#                                               when only its source changed, nothing when neither did
#
# A project fails the gate when its score is below Stryker's break threshold (80, stryker-config.json) or, on a
# full run, more than the tolerance below its score in tests/mutation/baseline.json (a ratchet: deleting a test
# that kills mutants lowers the score and fails the gate). Reports go to StrykerOutput/gate/<project>/reports/.
# Exit codes: 0 pass, 1 a project below its floor, 2 Stryker could not run.
set -uo pipefail
cd "$(dirname "$0")/../.."
root=$(pwd)

since=""
recheck=""
parts=()
concurrency=""
write=""
ci=""
projects=()
while [ $# -gt 0 ]; do
  case "$1" in
    --since) since="$2"; shift 2 ;;
    --since=*) since="${1#--since=}"; shift ;;
    --write-baseline) write="--write-baseline"; shift ;;
    --ci) ci=1; shift ;;
    --mutate) parts+=("$2"); shift 2 ;;
    --concurrency) concurrency="$2"; shift 2 ;;
    --recheck) recheck="$2"; shift 2 ;;
    --recheck=*) recheck="${1#--recheck=}"; shift ;;
    -h|--help) awk 'NR > 1 && !/^#/ { exit } NR > 1' "$0"; exit 0 ;;
    Reference|Engine|Explorer|Smt) projects+=("$1"); shift ;;
    *) echo "gate.sh: unknown argument '$1' (projects: Reference Engine Explorer Smt)" >&2; exit 2 ;;
  esac
done
[ ${#projects[@]} -eq 0 ] && projects=(Reference Engine Explorer Smt)

# The test projects that exercise each mutated project, and the tests left out of the mutation runs because they
# spend seconds per run on processes (the C implementation, the line protocol, cvc5, the packed tool) and kill
# nothing the others do not.
tests_for() {
  case "$1" in
    Reference) echo "IommuVerify.Reference.Tests IommuVerify.Conformance.Tests" ;;
    Engine) echo "IommuVerify.Engine.Tests" ;;
    Explorer) echo "IommuVerify.Explorer.Tests" ;;
    Smt) echo "IommuVerify.Smt.Tests" ;;
  esac
}
filter='FullyQualifiedName!~CImplementation&FullyQualifiedName!~ExecProtocol&FullyQualifiedName!~Cvc5'
# The SMT encoding's mutants run without the tests marked [Trait("Category", "Slow")]: the k-induction proofs and
# the one-step comparisons, 10-50 s each, which a surviving mutant would re-run in full. What they cover is also
# covered by the agreement test (Z3's successor and invariants against the reference on random walks of every model)
# and the golden SMT-LIB files. The Smt score is therefore a lower bound: the full suite can only kill more.
filter_for() {
  case "$1" in
    Smt) echo "$filter&Category!=Slow" ;;
    *) echo "$filter" ;;
  esac
}

# The files whose change can change a project's mutants (its source) or its kills (its tests).
source_of() {
  case "$1" in
    Smt) echo "src/IommuVerify.Smt/Encoding" ;;
    *) echo "src/IommuVerify.$1" ;;
  esac
}
tests_paths_of() {
  local t out="tests/IommuVerify.Testing"
  for t in $(tests_for "$1"); do out="$out tests/$t"; done
  [ "$1" = Reference ] && out="$out tests/conformance"
  echo "$out"
}

# Everything that decides a project's mutants and their verdicts: its source and what it builds on, its tests and the
# files they read, and the gate's own settings. Written beside each report (inputs.txt) as git object hashes, so
# that parts of one project run at different commits can be joined only when none of these differ (survivors.py join).
inputs_of() {
  local deps
  case "$1" in
    Reference|Engine) deps="src/IommuVerify.Vocabulary src/IommuVerify.Reference src/IommuVerify.Engine src/IommuVerify.Conformance" ;;
    Explorer) deps="src/IommuVerify.Vocabulary src/IommuVerify.Reference src/IommuVerify.Explorer" ;;
    Smt) deps="src/IommuVerify.Vocabulary src/IommuVerify.Reference src/IommuVerify.Explorer src/IommuVerify.Smt" ;;
  esac
  # shellcheck disable=SC2046
  echo $deps $(tests_paths_of "$1") tests/conformance models Directory.Build.props Directory.Packages.props \
    | tr ' ' '\n' | sort -u
}
# write_inputs PROJECT CONFIG ARGS...: CONFIG is the Stryker configuration the run used, ARGS the options that change
# what is run (build configuration), besides the test filter.
write_inputs() {
  local p="$1" config="$2" path dirty
  shift 2
  for path in $(inputs_of "$p"); do
    echo "$path $(git rev-parse "HEAD:$path" 2>/dev/null || echo missing)"
  done
  # shellcheck disable=SC2046
  dirty=$(git status --porcelain -- $(inputs_of "$p") | awk '{ print $2 }' | tr '\n' ' ')
  [ -n "$dirty" ] && echo "dirty: $dirty"
  echo "stryker-config: $(git hash-object "$config")"
  echo "options: $* --test-case-filter $(filter_for "$p")"
}

# --ci: decide per project from what changed since the baseline commit.
declare -A mode
if [ -n "$ci" ]; then
  base=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("commit", ""))' tests/mutation/baseline.json)
  if [ -z "$base" ] || ! git cat-file -e "$base^{commit}" 2>/dev/null; then
    echo "gate.sh: the baseline commit '${base}' is not in this clone, so what changed since the last full run is unknown; mutation gate not run"
    exit 0
  fi
  since="$base"
  budget=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("ci_full_run_budget_minutes", 40))' tests/mutation/baseline.json)
  planned=()
  recorded=$(python3 -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1])).get("scores", {})))' tests/mutation/baseline.json)
  for p in "${projects[@]}"; do
    # A project without a recorded full run (the Explorer, so far) would need hours here: CI does not run it.
    if [[ " $recorded " != *" $p "* ]]; then
      echo "=== $p: no recorded full-run score in tests/mutation/baseline.json: not gated in CI (run gate.sh $p to measure it)"
      continue
    fi
    # shellcheck disable=SC2046
    tests_changed=$(git diff --name-only "$base" -- $(tests_paths_of "$p"))
    source_changed=$(git diff --name-only "$base" -- "$(source_of "$p")")
    minutes=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("minutes", {}).get(sys.argv[2], 0))' tests/mutation/baseline.json "$p")
    if [ -n "$tests_changed" ] && [ "$minutes" -le "$budget" ]; then
      mode[$p]=full; planned+=("$p")
    elif [ -n "$tests_changed" ]; then
      # A full run of this project takes longer than CI can give it: say so, and gate what can be gated here.
      echo "=== $p: its tests changed since the baseline commit ${base:0:12}, but its full run took $minutes min (CI budget $budget min): the ratchet is not checked here; run 'tests/mutation/gate.sh $p --write-baseline' on a quiet machine"
      if [ -n "$source_changed" ]; then
        mode[$p]=since; planned+=("$p")
      fi
    elif [ -n "$source_changed" ]; then
      mode[$p]=since; planned+=("$p")
    else
      echo "=== $p: no change to its source or tests since the baseline commit ${base:0:12}: not run"
    fi
  done
  if [ ${#planned[@]} -eq 0 ]; then
    echo "gate.sh: no mutants to run in CI against the baseline commit ${base:0:12} (scores in tests/mutation/baseline.json; see above)"
    exit 0
  fi
  projects=("${planned[@]}")
else
  for p in "${projects[@]}"; do
    if [ -n "$recheck" ]; then
      mode[$p]=recheck
      if [ ! -f "$recheck/$p/reports/mutation-report.json" ]; then
        echo "gate.sh: --recheck $recheck: no earlier report for $p at $recheck/$p/reports/mutation-report.json" >&2
        exit 2
      fi
    else
      mode[$p]=$([ -n "$since" ] && echo since || { [ ${#parts[@]} -gt 0 ] && echo part; } || echo full)
    fi
  done
fi

# A mutant's failures are not regressions: keep them out of tests/conformance/regressions/.
export IOMMUVERIFY_REGRESSIONS_DIR=off
# Per-test coverage needs tests that run one at a time (see tests/IommuVerify.Explorer.Tests/SerialTests.cs).
export IOMMUVERIFY_SERIAL_TESTS=1
dotnet tool restore >/dev/null || { echo "gate.sh: dotnet tool restore failed (dotnet-stryker 5.1.0, .config/dotnet-tools.json)" >&2; exit 2; }

# vstest leaves a test host behind when Stryker gives up on a mutant that loops forever; such a host spins on a
# core until killed. Reap hosts of this repository's tests that lost their parent or ran for over five minutes (a mutant's test run takes seconds; idle hosts exit after about two and a half minutes).
reap() {
  while sleep 5; do
    for pid in $(pgrep -f -- "--runtimeconfig $root/tests/" 2>/dev/null); do
      ppid=$(ps -o ppid= -p "$pid" 2>/dev/null | tr -d ' ')
      age=$(ps -o etimes= -p "$pid" 2>/dev/null | tr -d ' ')
      if [ "$ppid" = 1 ] || [ "${age:-0}" -gt 300 ]; then kill -9 "$pid" 2>/dev/null; fi
    done
  done
}
reap &
reaper=$!
trap 'kill $reaper 2>/dev/null' EXIT

out="$root/StrykerOutput/$([ -n "$recheck" ] && echo recheck || echo gate)"
[ -n "$recheck" ] && recheck=$(cd "$recheck" && pwd)
rm -rf "$out"
mkdir -p "$out"
start=$(date +%s)
took=""
for p in "${projects[@]}"; do
  read -r -a tps <<< "$(tests_for "$p")"
  args=()
  for t in "${tps[@]}"; do args+=(-tp "$root/tests/$t/$t.csproj"); done
  [ "${mode[$p]}" = since ] && args+=("--since:$since")
  for m in "${parts[@]}"; do args+=(-m "$m"); done
  if [ "${mode[$p]}" = recheck ]; then
    mapfile -t patterns < <(python3 "$root/tests/mutation/survivors.py" patterns "$recheck/$p/reports/mutation-report.json")
    if [ ${#patterns[@]} -eq 0 ]; then echo "=== $p: the earlier run left no mutant undetected"; continue; fi
    for m in "${patterns[@]}"; do args+=(-m "$m"); done
  fi
  echo "=== $p: mutating $(source_of "$p") with ${tps[*]} (${mode[$p]} run${since:+, baseline ${since:0:12}})"
  t0=$(date +%s)
  config="$root/stryker-config.json"
  build=()
  if [ "$p" = Explorer ] || [ "$p" = Engine ]; then
    # Per-test coverage credits a mutant to whichever test was running when its code ran, and xUnit runs test
    # classes side by side: the checker's multi-threaded searches were credited with nothing even when run one at a
    # time (SerialTests.cs), and the engine's classes ran two at a time. Capturing each test's coverage in isolation
    # credited them all (a probe on Shards.cs: 6 uncovered mutants left, all on lines no test reaches, against 15).
    config="$out/stryker-config.$p.json"
    sed 's/"perTest"/"perTestInIsolation"/' "$root/stryker-config.json" > "$config"
    # In Debug the JIT leaves inner loops unoptimized: the Compact tests took 77-85 s against 57-58 s in Release, and
    # a mutant that loops forever costs 1.5 times its tests' time. Kills do not depend on the configuration (no
    # project has Debug.Assert or #if DEBUG code); only the time does.
    build=(--configuration Release)
  fi
  args+=("${build[@]}")
  [ -n "$concurrency" ] && args+=(--concurrency "$concurrency")
  (cd "$root/tests/${tps[0]}" && dotnet stryker -f "$config" -p "IommuVerify.$p.csproj" "${args[@]}" \
      --test-case-filter "$(filter_for "$p")" -O "$out/$p" -r json -r html -r dots -r cleartext --break-at 0) > "$out/$p.log" 2>&1
  rc=$?
  echo "=== $p: Stryker exit $rc after $(( $(date +%s) - t0 )) s (log: StrykerOutput/gate/$p.log)"
  took+="${took:+,}$p:$(( ($(date +%s) - t0 + 59) / 60 ))"
  echo "${mode[$p]}" > "$out/$p.mode"
  write_inputs "$p" "$config" "${build[@]}" > "$out/$p/inputs.txt"
  if [ ! -f "$out/$p/reports/mutation-report.json" ]; then
    tail -20 "$out/$p.log"
    echo "gate.sh: Stryker produced no report for $p" >&2
    exit 2
  fi
done
echo "=== all projects: $(( $(date +%s) - start )) s"

if [ -n "$recheck" ]; then
  for p in "${projects[@]}"; do
    [ -f "$out/$p/reports/mutation-report.json" ] || continue
    echo "=== $p: the earlier run's report with this re-check's verdicts"
    python3 "$root/tests/mutation/survivors.py" merge "$recheck/$p/reports/mutation-report.json" "$out/$p/reports/mutation-report.json"
  done
  exit 0
fi

commit=""
[ -n "$write" ] && commit="--commit=$(git rev-parse HEAD)"
python3 "$root/tests/mutation/score.py" "$root/tests/mutation/baseline.json" "$out" --ratchet $write $commit --minutes="$took"
