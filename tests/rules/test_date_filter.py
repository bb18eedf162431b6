"""MLA305 hardcoded-date-filter: literal dates that decide which rows the model sees."""

from __future__ import annotations

from functools import partial
from pathlib import Path

from tests import conftest
from tests.conftest import rows as where

audit = partial(conftest.audit, select="MLA305")  # every test here checks MLA305 alone


def test_every_filter_shape_is_reported(tmp_path: Path) -> None:
    shapes = [
        'df[df["signup_at"] >= "2023-01-01"]',
        'df[df.signup_at < pd.Timestamp("2024-06-30")]',
        'df[df["ts"].between("2022-01-01", "2023-12-31")]',
        "df.query(\"ts >= '2024-01-01'\")",
        'df.loc["2023-07-01":]',
        "df[df.last_seen.dt.date > datetime(2023, 3, 1).date()]",
        'df[df.index >= np.datetime64("2021-01-01")]',
        'df[pd.to_datetime("2020-01-01T00:00:00Z") <= df["ts"]]',
        'df.truncate(before="2020-01-01")',
        'df[df["day"] == date(2023, 1, 1)]',
        'df[df["ts"] > datetime.strptime("01/02/2023", "%d/%m/%Y")]',
    ]
    body = "".join(f"\n\ndef f{i}(df):\n    return {shape}\n" for i, shape in enumerate(shapes))
    header = "from datetime import date, datetime\n\nimport numpy as np\nimport pandas as pd\n"
    found = audit(tmp_path, {"pipeline.py": header + body})
    assert len(found) == len(shapes), [f.message for f in found]


def test_one_finding_per_function_and_per_script(tmp_path: Path) -> None:
    files = {
        "split.py": """
            import pandas as pd

            frame = pd.read_parquet("events.parquet")
            train = frame[frame["ts"] < "2023-01-01"]
            test = frame[frame["ts"] >= "2023-01-01"]

            def window(df):
                early = df[df["ts"] >= "2020-01-01"]
                return early[early["ts"] < "2021-01-01"]
        """
    }
    found = audit(tmp_path, files)
    assert where(found) == [("split.py", 4), ("split.py", 8)]
    assert "(and 1 more)" in found[0].message and "in `window`" in found[1].message
    assert [r.location.row for r in found[0].related] == [5]


def test_quiet_on_config_parameters_constants_messages_tests_and_experiments(tmp_path: Path) -> None:
    files = {
        "settings.py": 'import pandas as pd\n\nCUTOFF = pd.Timestamp("2024-01-01")\n\ndef w(df):\n    return df[df.ts > "2023-01-01"]\n',
        "conf/windows.py": 'def w(df):\n    return df[df["ts"] > "2023-01-01"]\n',
        "train.py": """
            import logging
            from datetime import datetime

            import pandas as pd
            from pydantic import BaseModel, field_validator

            RELEASE = "2023-01-01"

            class Window(BaseModel):
                start: datetime

                @field_validator("start")
                @classmethod
                def after_launch(cls, value):
                    assert value > datetime(2020, 1, 1)
                    return value

            def train(df, cfg, start, args):
                logging.info("since 2023-01-01")
                a = df[df["ts"] >= start]
                b = df[df["ts"] < cfg.cutoff]
                c = df[df["ts"] > pd.Timestamp.now()]
                d = df[df["period"] == "2023-Q1"]
                e = df[df["ts"] > pd.Timestamp(cfg.start)]
                if args.start_date < datetime(2000, 1, 1):
                    raise SystemExit(1)
                if datetime.max > datetime(2000, 1, 1):
                    pass
                return a, b, c, d, e
        """,
        "tests/test_window.py": 'def test_w(df):\n    assert len(df[df["ts"] > "2023-01-01"]) == 1\n',
        "notebooks/explore.py": 'import pandas as pd\ndf = pd.read_csv("x.csv")\ndf = df[df["ts"] > "2023-01-01"]\n',
    }
    assert audit(tmp_path, files) == []


def test_date_windows_and_split_calls_are_reported(tmp_path: Path) -> None:
    files = {
        "windows.py": """
            from datetime import date

            import pandas as pd


            def wide_window(df):
                return df[pd.date_range(date(2017, 1, 1), date(2017, 8, 15))]


            def open_window(df):
                return df[pd.date_range(start="2017-01-01", periods=30)]


            def legacy_alias(df):
                return df.loc[df.date >= pd.datetime(2016, 1, 1)]


            def backtest(df, dp):
                return dp.data_split(df, "2009-01-01", "2018-01-01")


            def recent(df, filter_by_date):
                return filter_by_date(df, start=date(2020, 1, 1))
        """
    }
    assert where(audit(tmp_path, files)) == [
        ("windows.py", 7),
        ("windows.py", 11),
        ("windows.py", 15),
        ("windows.py", 19),
        ("windows.py", 23),
    ]


def test_windows_from_parameters_and_date_keys_stay_quiet(tmp_path: Path) -> None:
    files = {
        "windows.py": """
            import pandas as pd

            TRAIN_START = "2009-01-01"


            def window(df, start, end, data_split):
                return df[pd.date_range(start, end)], data_split(df, TRAIN_START, "train")


            def add_day(df, scraped):
                df[pd.Timestamp("2017-09-10")] = scraped["2017-09-10"]
                return pd.DataFrame(df, columns=pd.date_range("2017-08-16", periods=16))


            def parts(stamp):
                return "2020-01-01".split("-"), stamp.split("2020-01-01"[4])
        """
    }
    assert audit(tmp_path, files) == []


def test_notebook_exports_and_class_bodies_stay_quiet(tmp_path: Path) -> None:
    export = """
        # ---
        # jupyter:
        #   jupytext:
        #     text_representation:
        #       format_name: percent
        # ---

        # %%
        import pandas as pd

        y = pd.read_csv("co2.csv", index_col="date", parse_dates=True)["co2"]

        # %%
        y_truth = y["1998-01-01":]
        print(y_truth.mean())
    """
    checker = """
        import pandas as pd

        class Q4:
            holidays = pd.read_csv("holidays.csv", index_col="date").loc["2017":"2017-08-15"]
            _expected = [pd.get_dummies(holidays).to_numpy()]

            def check(self, frame):
                return frame[frame["date"] >= "2017-01-01"]
    """
    assert audit(tmp_path / "export", {"tasks/forecast.py": export}) == []
    found = audit(tmp_path / "checker", {"exercise.py": checker})
    assert where(found) == [("exercise.py", 8)]  # the method's filter runs on whatever data it is given
    plain = """
        import pandas as pd

        y = pd.read_csv("co2.csv", index_col="date", parse_dates=True)["co2"]
        y_truth = y["1998-01-01":]
        print(y_truth.mean())
    """
    assert where(audit(tmp_path / "script", {"tasks/forecast.py": plain})) == [("tasks/forecast.py", 4)]
