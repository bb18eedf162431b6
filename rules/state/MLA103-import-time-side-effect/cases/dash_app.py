"""A single-file Dash dashboard loads the data it displays at module level, builds its layout and callbacks
and runs its server: like a single-file Flask service or a Gradio demo, that is its start-up, not an
import-time side effect."""

import dash
import pandas as pd
from dash import dcc, html
from dash.dependencies import Input, Output

cases = pd.read_csv("../data/valid-acl.csv", names=["Case", "Abnormal"])
predictions = pd.read_csv("./val_data.csv")

app = dash.Dash(__name__)
app.layout = html.Div([dcc.Dropdown(id="case", options=list(cases["Case"])), html.Div(id="prediction")])


@app.callback(Output("prediction", "children"), [Input("case", "value")])
def show_prediction(case):
    row = predictions[predictions["Case"] == case]
    return f"abnormal: {float(row['prediction'].iloc[0]):.2f}"


if __name__ == "__main__":
    app.run_server(debug=True)
