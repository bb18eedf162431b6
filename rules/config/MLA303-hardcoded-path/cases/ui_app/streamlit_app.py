"""A Streamlit app shows illustrations: pictures of the interface, not data to configure."""

import pandas as pd
import streamlit as st
from PIL import Image


def main():
    st.title("Customer satisfaction")
    overview = Image.open("_assets/high_level_overview.png")
    st.image(overview, caption="High level pipeline")
    pipeline = Image.open("pipeline_diagram.png")
    st.image(pipeline, caption="Whole pipeline")
    st.dataframe(pd.DataFrame({"a": [1, 2]}))
    st.image(Image.open("images/feature_importance.jpg"))


if __name__ == "__main__":
    main()
