"""Scripts on date-heavy Kaggle and tutorial repositories (issue 11, branch scripts2): module-level code that
wires a script's helpers to its state is a pure script's run (MLA103, MLA201 quiet), a ``main()`` at the
bottom is still the missing guard, an Airflow ``@dag`` call registers the DAG, and a script indented under
``def main():`` sets its demo agents' settings like a script's module level (MLA301 quiet)."""

from __future__ import annotations

from pathlib import Path

from tests.conftest import audit, rows

KAGGLE_HELPER = """
    import sys
    import pandas as pd

    first_file = sys.argv[1]
    second_file = sys.argv[2]

    def corr(first_file, second_file):
        first_df = pd.read_csv(first_file, index_col=0)
        second_df = pd.read_csv(second_file, index_col=0)
        print(first_df.corrwith(second_df))

    corr(first_file, second_file)
"""


def test_helper_fed_from_module_state_is_a_pure_script(tmp_path: Path) -> None:
    found = audit(tmp_path, {"src_ensemble/correlations.py": KAGGLE_HELPER}, "MLA103")
    assert rows(found) == []


def test_helper_result_bound_at_module_level_is_a_pure_script(tmp_path: Path) -> None:
    source = """
        import pandas as pd
        frm = 1000
        to = frm + 10000000

        def DO(frm, to, fileno):
            train_df = pd.read_csv("../input/train.csv", skiprows=range(1, frm), nrows=to - frm)
            return train_df.mean()

        sub = DO(frm, to, 0)
    """
    assert rows(audit(tmp_path, {"codes_cat/extract.py": source}, "MLA103")) == []


def test_main_at_the_bottom_is_still_the_missing_guard(tmp_path: Path) -> None:
    source = """
        import numpy as np

        def demo():
            np.save("out/result.npy", np.zeros(3))

        demo()
    """
    assert rows(audit(tmp_path, {"demo.py": source}, "MLA103")) == [("demo.py", 6)]


def test_helper_called_with_a_module_constant_is_still_the_missing_guard(tmp_path: Path) -> None:
    source = """
        import os

        root_dir = os.getcwd()

        def update_and_clean_folder(folder_path):
            for name in os.listdir(folder_path):
                os.remove(os.path.join(folder_path, name))

        update_and_clean_folder(root_dir)
    """
    assert rows(audit(tmp_path, {"course/moved.py": source}, "MLA103")) == [("course/moved.py", 9)]


def test_wired_helper_in_an_imported_module_is_reported(tmp_path: Path) -> None:
    files = {
        "pkg/__init__.py": "",
        "pkg/data.py": """
            import pandas as pd
            PATH = "data.csv"

            def load(path):
                return pd.read_csv(path)

            frame = load(PATH)
        """,
        "pkg/train.py": "from pkg.data import frame\n",
    }
    assert rows(audit(tmp_path, files, "MLA103")) == [("pkg/data.py", 7)]


def test_module_defining_a_class_is_not_a_wired_script(tmp_path: Path) -> None:
    source = """
        import gym
        import pandas as pd

        def preprocess(path):
            return pd.read_csv(path)

        PATH = "prices.csv"
        train_daily_data = preprocess(PATH)

        class StockEnv(gym.Env):
            def reset(self):
                return train_daily_data.iloc[0]
    """
    assert rows(audit(tmp_path, {"envs/rlstock_env.py": source}, "MLA103")) == [("envs/rlstock_env.py", 8)]


def test_airflow_taskflow_dag_call_registers_the_dag(tmp_path: Path) -> None:
    source = """
        from datetime import datetime

        from airflow.decorators import dag, task

        @dag(schedule="@daily", start_date=datetime(2023, 1, 1), catchup=False)
        def ml_pipeline():
            @task
            def upload(path: str) -> None:
                with open(path, "w") as fh:
                    fh.write("done")

            upload("/tmp/best.json")

        ml_pipeline()
    """
    assert rows(audit(tmp_path, {"airflow/dags/ml_pipeline_dag.py": source}, "MLA103")) == []


def test_prefect_flow_called_at_module_level_still_runs(tmp_path: Path) -> None:
    source = """
        from prefect import flow

        @flow
        def etl():
            with open("out.txt", "w") as fh:
                fh.write("x")

        etl()
    """
    assert rows(audit(tmp_path, {"flows/etl.py": source}, "MLA103")) == [("flows/etl.py", 8)]


FEATURE_JOB = """
    import pandas as pd
    debug = 1
    print("debug", debug)
    PATH = "../processed/"

    def create_kernel_features(train_df):
        gp = train_df.groupby("ip").size().rename("ip_count")
        gp.to_csv(PATH + "ip_count.csv")
        return train_df

    def main():
        train_df = pd.read_csv("../input/train.csv")
        create_kernel_features(train_df)

    main()
"""


def test_feature_job_of_a_pure_script_is_a_step_of_its_run(tmp_path: Path) -> None:
    assert rows(audit(tmp_path, {"codes/generate_feature.py": FEATURE_JOB}, "MLA201")) == []


def test_feature_function_of_a_guarded_script_still_reports(tmp_path: Path) -> None:
    source = """
        import pandas as pd

        def create_features(path):
            df = pd.read_csv(path)
            return df.assign(week=df.week % 52)

        def main():
            print(create_features("train.csv"))

        if __name__ == "__main__":
            main()
    """
    assert rows(audit(tmp_path, {"aml_scripts/train_validate.py": source}, "MLA201")) == [
        ("aml_scripts/train_validate.py", 4)
    ]


WRAPPED = """
    def main():
        import pandas as pd
        from finrl.agents.stablebaselines3.models import DRLAgent
        from finrl.meta.env_stock_trading.env_stocktrading import StockTradingEnv

        train = pd.read_csv("train_data.csv")
        agent = DRLAgent(env=StockTradingEnv(df=train))
        PPO_PARAMS = {"n_steps": 2048, "ent_coef": 0.01, "learning_rate": 0.00025, "batch_size": 128}
        model_ppo = agent.get_model("ppo", model_kwargs=PPO_PARAMS)
        agent.train_model(model=model_ppo, tb_log_name="ppo", total_timesteps=50000)

    if __name__ == "__main__":
        main()
"""


def test_script_indented_under_main_is_configured_like_a_script(tmp_path: Path) -> None:
    assert rows(audit(tmp_path, {"1-Introduction/Stock_NeurIPS2018_SB3.py": WRAPPED}, "MLA301")) == []


def test_entry_function_with_hardcoded_settings_still_reports(tmp_path: Path) -> None:
    source = """
        import lightgbm as lgb
        import pandas as pd

        def load(path):
            return pd.read_csv(path)

        def main():
            train = load("train.csv")
            model = lgb.LGBMRegressor(learning_rate=0.05, num_leaves=63)
            model.fit(train.drop(columns="y"), train.y)

        if __name__ == "__main__":
            main()
    """
    assert rows(audit(tmp_path, {"train.py": source}, "MLA301")) == [("train.py", 9)]
