#!/bin/sh
# Compares `cairn model eval --csv` with scikit-learn's LogisticRegression
# and HistGradientBoostingClassifier on three public tables. Both use the
# very same five stratified folds, written into a `fold` column and passed
# to Cairn with --fold-column. It prints ROC-AUC, PR-AUC (average
# precision) and the time to fit and score all folds as one Markdown table.
# Cairn's time includes its Platt scaling, which fits each learner three
# more times per fold on an inner split; scikit-learn's does not calibrate.
# Usage: bench/models.sh [BUILD_DIR]   (default: ./build)
# Needs /usr/bin/python3 with python3-sklearn and python3-pandas
# (scripts/install-deps.sh --bench). The data sets are read from
# ../shared/data next to the repository; prepared copies go to
# $CAIRN_BENCH_DIR (default /tmp/cairn-bench-models).
set -eu

top=$(cd "$(dirname "$0")/.." && pwd)
build=$(cd "${1:-$top/build}" && pwd)
cairn=$build/cairn
data=${CAIRN_SHARED_DATA:-$top/../shared/data}
work=${CAIRN_BENCH_DIR:-/tmp/cairn-bench-models}
py=/usr/bin/python3
mkdir -p "$work"

echo "== machine"
lscpu | grep -E '^(Model name|CPU\(s\))'
free -h | head -2
echo

# run NAME SOURCE ENCODING LABEL POSITIVE DROP...
run() {
    name=$1 source=$2 encoding=$3 label=$4 positive=$5
    shift 5
    table=$work/$name.csv
    if [ -n "$positive" ]; then
        $py "$top/bench/models_sklearn.py" prepare "$source" "$table" --label "$label" \
            --positive "$positive" --encoding "$encoding"
    else
        $py "$top/bench/models_sklearn.py" prepare "$source" "$table" --label "$label" \
            --encoding "$encoding"
    fi
    drop=$(echo "$@" | tr ' ' ',')
    "$cairn" model eval --csv "$table" --label "$label" ${positive:+--positive "$positive"} \
        ${drop:+--drop "$drop"} --fold-column fold --format json > "$work/$name.json"
    $py "$top/bench/models_sklearn.py" compare "$table" "$work/$name.json" --name "$name" \
        --label "$label" ${positive:+--positive "$positive"} ${1:+--drop "$@"}
}

echo "| data set | learner | ROC-AUC | PR-AUC | seconds |"
echo "|---|---|---|---|---|"
run ibm-hr "$data/ibm-hr-attrition/WA_Fn-UseC_-HR-Employee-Attrition.csv" utf-8-sig Attrition Yes
run telco "$data/ibm-telco-churn/WA_Fn-UseC_-Telco-Customer-Churn.csv" utf-8-sig Churn Yes customerID
run cn-hr "$data/cn-hr-turnover-gbk/员工数据.csv" gbk 是否离职 ""
