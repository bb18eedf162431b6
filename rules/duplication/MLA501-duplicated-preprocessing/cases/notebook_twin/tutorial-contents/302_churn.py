"""The script version of the lesson; its notebook twin (same stem, parallel folder) holds the same steps."""
import pandas as pd

df = pd.read_csv('leads.csv')

df = df.drop_duplicates(subset=["user_id"])
df = df[df["country"].notna()]
df["sessions"] = df["sessions"].clip(0, 50)
df["days_since_login"] = df["days_since_login"].fillna(30)
df["plan"] = df["plan"].str.lower().str.strip()
df["is_paid"] = (df["plan"] != "free").astype(int)

print(df.describe())
