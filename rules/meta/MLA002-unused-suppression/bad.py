def total(values: list[int]) -> int:
    return sum(values)  # mlaudit: ignore[parse-error]  # expect: MLA002
