#!/usr/bin/env bash
# The mutation gate: Stryker.NET on each mutated project with the tests that exercise it, then the score check.
#
#   tests/mutation/gate.sh                      full run on every project (Reference Engine Explorer Smt)
#   tests/mutation/gate.sh --since main~5       only mutants in files changed since that commit
#   tests/mutation/gate.sh Engine Explorer      only these projects
#   tests/mutation/gate.sh --write-baseline     full run, then record the scores (and this commit) as the baseline
#   tests/mutation/gate.sh --ci                 what .ci/run does: per project with a recorded score, compared with
#                                               the baseline commit, a full run when its tests changed, a since-run
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
write=""
ci=""
projects=()
while [ $# -gt 0 ]; do
  case "$1" in
    --since) since="$2"; shift 2 ;;
    --since=*) since="${1#--since=}"; shift ;;
    --write-baseline) write="--write-baseline"; shift ;;
    --ci) ci=1; shift ;;
    -h|--help) sed -n '2,17p' "$0"; exit 0 ;;
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

# --ci: decide per project from what changed since the baseline commit.
declare -A mode
if [ -n "$ci" ]; then
  base=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("commit", ""))' tests/mutation/baseline.json)
  if [ -z "$base" ] || ! git cat-file -e "$base^{commit}" 2>/dev/null; then
    echo "gate.sh: the baseline commit '${base}' is not in this clone, so what changed since the last full run is unknown; mutation gate not run"
    exit 0
  fi
  since="$base"
  planned=()
  recorded=$(python3 -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1])).get("scores", {})))' tests/mutation/baseline.json)
  for p in "${projects[@]}"; do
    # A project without a recorded full run (the Explorer, so far) would need hours here: CI does not run it.
    if [[ " $recorded " != *" $p "* ]]; then
      echo "=== $p: no recorded full-run score in tests/mutation/baseline.json: not gated in CI (run gate.sh $p to measure it)"
      continue
    fi
    # shellcheck disable=SC2046
    if [ -n "$(git diff --name-only "$base" -- $(tests_paths_of "$p"))" ]; then
      mode[$p]=full; planned+=("$p")
    elif [ -n "$(git diff --name-only "$base" -- "$(source_of "$p")")" ]; then
      mode[$p]=since; planned+=("$p")
    else
      echo "=== $p: no change to its source or tests since the baseline commit ${base:0:12}: not run"
    fi
  done
  if [ ${#planned[@]} -eq 0 ]; then
    echo "gate.sh: nothing changed since the baseline commit ${base:0:12} (scores in tests/mutation/baseline.json)"
    exit 0
  fi
  projects=("${planned[@]}")
else
  for p in "${projects[@]}"; do mode[$p]=$([ -n "$since" ] && echo since || echo full); done
fi

# A mutant's failures are not regressions: keep them out of tests/conformance/regressions/.
export IOMMUVERIFY_REGRESSIONS_DIR=off
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

out="$root/StrykerOutput/gate"
rm -rf "$out"
mkdir -p "$out"
start=$(date +%s)
for p in "${projects[@]}"; do
  read -r -a tps <<< "$(tests_for "$p")"
  args=()
  for t in "${tps[@]}"; do args+=(-tp "$root/tests/$t/$t.csproj"); done
  [ "${mode[$p]}" = since ] && args+=("--since:$since")
  echo "=== $p: mutating $(source_of "$p") with ${tps[*]} (${mode[$p]} run${since:+, baseline ${since:0:12}})"
  t0=$(date +%s)
  (cd "$root/tests/${tps[0]}" && dotnet stryker -f "$root/stryker-config.json" -p "IommuVerify.$p.csproj" "${args[@]}" \
      --test-case-filter "$(filter_for "$p")" -O "$out/$p" -r json -r html -r dots -r cleartext --break-at 0) > "$out/$p.log" 2>&1
  rc=$?
  echo "=== $p: Stryker exit $rc after $(( $(date +%s) - t0 )) s (log: StrykerOutput/gate/$p.log)"
  echo "${mode[$p]}" > "$out/$p.mode"
  if [ ! -f "$out/$p/reports/mutation-report.json" ]; then
    tail -20 "$out/$p.log"
    echo "gate.sh: Stryker produced no report for $p" >&2
    exit 2
  fi
done
echo "=== all projects: $(( $(date +%s) - start )) s"

commit=""
[ -n "$write" ] && commit="--commit=$(git rev-parse HEAD)"
python3 "$root/tests/mutation/score.py" "$root/tests/mutation/baseline.json" "$out" --ratchet $write $commit
