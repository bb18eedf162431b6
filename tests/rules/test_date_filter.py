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
