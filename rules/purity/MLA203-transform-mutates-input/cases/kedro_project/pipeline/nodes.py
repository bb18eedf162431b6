"""Kedro nodes: the runner loads each input from the catalogue (and copies in-memory data between nodes),
so a node changing its input in place changes nobody else's data."""


def preprocess_companies(companies):
    companies["iata_approved"] = companies["iata_approved"] == "t"
    return companies
