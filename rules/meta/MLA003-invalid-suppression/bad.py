LIMIT = 3  # mlaudit ignore io-in-transform  # expect: MLA003
SIZE = 4  # mlaudit: ignore[no-such-rule]  # expect: MLA003
