"""`PYTHONHTTPSVERIFY` (like `PYTHONHASHSEED`, `PYTHONUNBUFFERED`) is a switch of the Python interpreter and
its ssl module, checked by the standard `allowSelfSignedHttps` boilerplate of Azure's endpoint samples: not
the project's configuration."""

import os
import ssl


def allow_self_signed_https(allowed):
    if allowed and not os.environ.get("PYTHONHTTPSVERIFY", "") and getattr(ssl, "_create_unverified_context", None):
        ssl._create_default_https_context = ssl._create_unverified_context
