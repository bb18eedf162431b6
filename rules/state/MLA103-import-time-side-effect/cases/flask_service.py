"""A single-file Flask service loading the model it serves at module level: the framework's standard way.

gunicorn (or `flask run`) imports this module once per worker; the model must be ready before the first
request, and loading it per request would be the real bug. Like the AWS Lambda init phase, this is
import-time loading on purpose. A network call, a database connection or a write at import would still
be reported, and so would a library module that loads a model when the service imports it.
"""

import pickle

from flask import Flask, jsonify, request

with open("churn-model.bin", "rb") as f_in:
    dv, model = pickle.load(f_in)

app = Flask("churn")


@app.route("/predict", methods=["POST"])
def predict():
    customer = request.get_json()
    prediction = model.predict_proba(dv.transform([customer]))[0, 1]
    return jsonify({"churn_probability": float(prediction), "churn": bool(prediction >= 0.5)})


if __name__ == "__main__":
    app.run(debug=True, host="0.0.0.0", port=9696)
