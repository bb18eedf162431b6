"""An `exp/` that is a package (`__init__.py`) is the project's own code: its experiment *runners*, the
trainer classes the entry script dispatches to (Time-Series-Library, Informer), not a folder of experiments."""

import argparse

if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--task", default="forecast")
    args = parser.parse_args()
    if args.task == "forecast":
        from exp.exp_forecast import Exp_Forecast

        Exp = Exp_Forecast
    else:
        from exp.exp_classification import Exp_Classification

        Exp = Exp_Classification
    Exp(args).train()
