"""Tests are not checked."""


def test_many_asserts():
    values = list(range(40))
    assert values[0] == 0
    assert values[1] == 1
    assert values[2] == 2
    assert values[3] == 3
    assert values[4] == 4
    assert values[5] == 5
    assert values[6] == 6
    assert values[7] == 7
    assert values[8] == 8
    assert values[9] == 9
    assert values[10] == 10
    assert values[11] == 11
    assert values[12] == 12
    assert values[13] == 13
    assert values[14] == 14
    assert values[15] == 15
    assert values[16] == 16
    assert values[17] == 17
    assert values[18] == 18
    assert values[19] == 19
    assert values[20] == 20
    assert values[21] == 21
    assert values[22] == 22
    assert values[23] == 23
    assert values[24] == 24
    assert values[25] == 25
    assert values[26] == 26
    assert values[27] == 27
    assert values[28] == 28
    assert values[29] == 29
    assert values[30] == 30
