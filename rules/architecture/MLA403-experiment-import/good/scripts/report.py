"""Scripts may import production code, and the helpers next to them."""

from scoring.serve import score
from scripts.common import banner


def main(model, frame):
    print(banner("scores"))
    print(score(model, frame))
