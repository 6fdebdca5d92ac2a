"""The nine families of contraindications and cautions, one module each.

Each module's ``reasons`` returns the reasons its family finds in an intake, with their
severity, routes and ``Evidence``; ``decision.assess_eligibility`` gathers them.
"""
