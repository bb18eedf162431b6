"""leadscore: predict whether a sign-up becomes a paying customer from its event history.

The package is mlaudit's reference pipeline: one module per layer (config < data < features < model <
train < serve), pure feature functions, one validated configuration, versioned artifacts.
"""

__version__ = "2.0.0"
