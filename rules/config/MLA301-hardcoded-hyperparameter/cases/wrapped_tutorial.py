"""A tutorial whose whole body is indented under ``def main():`` (a notebook pasted into a function, run by
the main guard; rules.md v2, "Scripts"): the function opens with the notebook's imports and *is* the
script's module level, so the demo agent's settings next to the call are the script's settings, edited to
configure it. MLA301 stays quiet."""


def main():
    import pandas as pd
    from finrl.agents.stablebaselines3.models import DRLAgent
    from finrl.meta.env_stock_trading.env_stocktrading import StockTradingEnv

    train = pd.read_csv("train_data.csv")
    agent = DRLAgent(env=StockTradingEnv(df=train))
    PPO_PARAMS = {"n_steps": 2048, "ent_coef": 0.01, "learning_rate": 0.00025, "batch_size": 128}
    model_ppo = agent.get_model("ppo", model_kwargs=PPO_PARAMS)
    agent.train_model(model=model_ppo, tb_log_name="ppo", total_timesteps=50000)
    model_sac = agent.get_model("sac", model_kwargs={"batch_size": 128, "learning_rate": 0.0001})
    agent.train_model(model=model_sac, tb_log_name="sac", total_timesteps=50000)


if __name__ == "__main__":
    main()
