#!/usr/bin/python3
"""Compares Cairn's `model eval --csv` with scikit-learn on the same folds.

prepare: reads a public table in any encoding pandas reads and adds a
column `fold` with stratified folds (scikit-learn's StratifiedKFold,
shuffled by the seed). It writes the table as UTF-8 CSV, so that Cairn
and scikit-learn split the rows the same way through `--fold-column fold`.

compare: fits LogisticRegression (median imputation, standardisation,
C = 1) and HistGradientBoostingClassifier (defaults) on those folds,
measures ROC-AUC, average precision (PR-AUC) and fit time per fold, and
prints one Markdown table row per learner next to Cairn's JSON result.
"""
import argparse
import json
import time

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler


def read_table(path, encoding):
    frame = pd.read_csv(path, encoding=encoding, dtype=str, keep_default_na=False)
    frame.columns = [c.strip().lstrip("\ufeff") for c in frame.columns]
    return frame.apply(lambda col: col.str.strip())


def labels(frame, label, positive):
    if positive is None:
        return frame[label].astype(float).astype(int).to_numpy()
    return (frame[label] == positive).astype(int).to_numpy()


def prepare(args):
    frame = read_table(args.source, args.encoding)
    y = labels(frame, args.label, args.positive)
    folds = StratifiedKFold(n_splits=args.folds, shuffle=True, random_state=args.seed)
    frame["fold"] = 0
    for k, (_, test) in enumerate(folds.split(np.zeros(len(y)), y)):
        frame.loc[frame.index[test], "fold"] = k
    frame.to_csv(args.out, index=False, encoding="utf-8")


def split_columns(frame):
    """Split the columns as Cairn does: numeric when every non-empty cell parses.
    Constant columns and text columns with a distinct value in every row are left out."""
    numeric, categorical = [], []
    for name in frame.columns:
        col = frame[name]
        if col.nunique(dropna=False) < 2:
            continue
        filled = col[col != ""]
        parsed = pd.to_numeric(filled, errors="coerce")
        if len(filled) > 0 and parsed.notna().all():
            numeric.append(name)
        elif col.nunique() < len(col):
            categorical.append(name)
    return numeric, categorical


def learners(numeric, categorical):
    def columns(scale):
        num = [SimpleImputer(strategy="median")] + ([StandardScaler()] if scale else [])
        return ColumnTransformer([
            ("num", make_pipeline(*num), numeric),
            ("cat", OneHotEncoder(handle_unknown="ignore", sparse_output=False), categorical),
        ])

    return {
        "LogisticRegression": lambda: make_pipeline(columns(True), LogisticRegression(C=1.0, max_iter=5000)),
        "HistGradientBoostingClassifier": lambda: make_pipeline(
            ColumnTransformer([
                ("num", "passthrough", numeric),
                ("cat", OneHotEncoder(handle_unknown="ignore", sparse_output=False), categorical),
            ]),
            HistGradientBoostingClassifier(random_state=0)),
    }


def compare(args):
    frame = read_table(args.table, "utf-8")
    y = labels(frame, args.label, args.positive)
    fold = frame["fold"].astype(int).to_numpy()
    features = frame.drop(columns=[args.label, "fold"] + args.drop)
    numeric, categorical = split_columns(features)
    for name in numeric:
        features[name] = pd.to_numeric(features[name].replace("", np.nan))
    cairn = json.load(open(args.cairn_json))
    name = args.name

    for learner in cairn["learners"]:
        print(f"| {name} | Cairn {learner['learner']} | {learner['auc']:.4f} | "
              f"{learner['pr_auc']:.4f} | {learner['seconds']:.2f} |")
    for title, build in learners(numeric, categorical).items():
        aucs, aps, seconds = [], [], 0.0
        for k in sorted(set(fold)):
            train, test = fold != k, fold == k
            model = build()
            started = time.perf_counter()
            model.fit(features[train], y[train])
            p = model.predict_proba(features[test])[:, 1]
            seconds += time.perf_counter() - started
            aucs.append(roc_auc_score(y[test], p))
            aps.append(average_precision_score(y[test], p))
        print(f"| {name} | scikit-learn {title} | {np.mean(aucs):.4f} | {np.mean(aps):.4f} | {seconds:.2f} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("prepare")
    p.add_argument("source")
    p.add_argument("out")
    p.add_argument("--label", required=True)
    p.add_argument("--positive")
    p.add_argument("--encoding", default="utf-8-sig")
    p.add_argument("--folds", type=int, default=5)
    p.add_argument("--seed", type=int, default=1)
    p.set_defaults(run=prepare)
    c = sub.add_parser("compare")
    c.add_argument("table")
    c.add_argument("cairn_json")
    c.add_argument("--name", required=True)
    c.add_argument("--label", required=True)
    c.add_argument("--positive")
    c.add_argument("--drop", nargs="*", default=[])
    c.set_defaults(run=compare)
    args = parser.parse_args()
    args.run(args)


if __name__ == "__main__":
    main()
