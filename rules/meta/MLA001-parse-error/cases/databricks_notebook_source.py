# Databricks notebook source
# MAGIC %md # Train a wine-quality model
# MAGIC * Installs its dependencies with the kernel's shell escape, as the notebook runs on Databricks.

# COMMAND ----------

!pip install -U mlflow-skinny==2.9.2
%pip install tabulate
dbutils.library.restartPython()

# COMMAND ----------

# MAGIC %run ./Common

# COMMAND ----------

import mlflow

files = !ls /dbfs/tmp
mlflow.set_experiment("/Users/me/wine")
