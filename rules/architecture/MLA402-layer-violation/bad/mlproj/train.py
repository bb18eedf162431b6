TARGET = "converted"
