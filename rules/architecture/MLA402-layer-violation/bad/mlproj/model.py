INPUTS = ["age", "income"]
