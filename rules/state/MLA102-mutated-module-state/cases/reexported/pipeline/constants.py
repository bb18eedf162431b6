COLUMNS = ("age", "income")
