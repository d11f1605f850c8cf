"""The portal as ``make bench`` serves it: its own settings and URLs plus the reference views
each page is measured against (``references``). Never part of a deployment."""
