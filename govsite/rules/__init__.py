"""Rules (规则): the national and municipal rules for government websites, as one pipeline stage.

Every rule has one entry in :mod:`.registry` (id, severity, phase, settings, documentation line).
Source rules read files and the resolved site (:mod:`.structure`, :mod:`.site_rules`,
:mod:`.text_rules`); output rules read the rendered pages (:mod:`.html_scan`); :mod:`.runner`
runs them for ``govsite build`` (the gate) and for ``govsite check`` (:mod:`govsite.commands.check`).
"""
