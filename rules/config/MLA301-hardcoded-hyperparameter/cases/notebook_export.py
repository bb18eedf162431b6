# %% [markdown]
# # Comparing ensembles (a notebook saved in the percent format: notebook code)

# %%
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import train_test_split

# %%
forest = RandomForestClassifier(n_estimators=50)
split = train_test_split([[0], [1]], [0, 1], test_size=0.5)
