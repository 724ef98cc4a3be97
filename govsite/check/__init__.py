"""``govsite check``: the national inspection rules (国办秘函〔2019〕19号, SPEC CK) as a fast
compliance checker, and the gate that ``govsite build`` runs.

Rules and their defaults are in :mod:`.rules`; the site's ``check:`` settings in :mod:`.settings`;
the work in :mod:`.runner` (source rules in :mod:`.site_rules` and :mod:`.text_rules`, output rules
in :mod:`.html_scan`); reports in :mod:`.formats`. docs/check.md lists every rule.
"""
from .findings import Finding, SiteResult
from .rules import RULES, Rule
from .runner import BuildGate, check_site

__all__ = ["BuildGate", "Finding", "RULES", "Rule", "SiteResult", "check_site"]
