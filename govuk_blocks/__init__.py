"""The GOV.UK Design System building blocks every app of the portal shares.

The bottom of the portal's layering: it imports only Django, and ``partners``, ``agreements``,
``sharing_log`` and ``isa_portal`` all build on it (docs/decisions/0017).
"""
