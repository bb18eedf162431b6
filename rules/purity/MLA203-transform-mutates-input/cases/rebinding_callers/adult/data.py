"""Private helpers of a `df = f(df)` chain: every caller hands them a frame made for the call or rebinds
its name to the result, so the in-place change cannot reach anyone."""

from pathlib import Path

import pandas as pd


class CleanData:
    _int_cols = ["age", "hours-per-week"]

    def process(self, data_path: Path) -> pd.DataFrame:
        df = pd.read_csv(data_path)
        df = self._remove_whitespaces(df)
        df = self._assign_correct_type_to_features(df)
        return df

    def process_inference(self, record: dict) -> pd.DataFrame:
        df = self._remove_whitespaces(pd.DataFrame.from_dict(record, orient="index").T)
        df = self._assign_correct_type_to_features(df=df)
        return df

    def _assign_correct_type_to_features(self, df: pd.DataFrame) -> pd.DataFrame:
        df[self._int_cols] = df[self._int_cols].astype("int")
        return df

    @staticmethod
    def _remove_whitespaces(df: pd.DataFrame) -> pd.DataFrame:
        df.columns = [col.replace(" ", "") for col in df.columns]
        return df


def _add_ratio_features(frame):
    frame["ratio"] = frame["a"] / frame["b"]
    return frame


def build_features(frame):
    frame = _add_ratio_features(frame.copy())
    return frame
