from xgboost import XGBClassifier

# Several values in one file (a small sweep) are not drift between files.
candidates = [XGBClassifier(max_depth=3), XGBClassifier(max_depth=6), XGBClassifier(max_depth=9)]
