# coding: utf-8

# # Chapter 3: A tour of classifiers
# A notebook saved as .py (jupyter nbconvert): notebook code, analysed like the notebook itself.

import pandas as pd

# ## Loading the data

df = pd.read_csv("iris.csv")

# ## Training

print(df.describe())
