from sklearn.svm import SVC

model = SVC(C=0.5)  # `C` of another estimator: a different knob
