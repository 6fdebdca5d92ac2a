"""The clinical core: pure Python, no Django, no I/O.

Scales, eligibility and staging, dosing, protocols, monitoring and outcome rules, and the
pharmacokinetic engine. Every rule names its source and a confidence label (see
``remission.clinical.evidence``); configurable defaults live in ``remission.clinical.registry``.
Everything here is decision support: a clinician signs off.
"""
